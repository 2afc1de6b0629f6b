package io.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.support.SmallDevShm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request larger than what /dev/shm has free fails at creation with a clear exception, never with
 * a SIGBUS later. The JVM under test runs in a private mount namespace with a 1 MiB tmpfs over
 * /dev/shm, so nobody else's shared memory is touched. Needs root (to mount); skipped otherwise.
 */
@InFaultSuite
class ShmFullTest {
    @Test
    void requestsBeyondTheFreeSpaceFailAtCreation() throws Exception {
        List<String> wrapper = SmallDevShm.wrapper("1m");
        try (SeparateJvm jvm = SeparateJvm.start(wrapper, List.of(), FullShmMain.class)) {
            boolean ready = jvm.awaitReady();
            int exit = jvm.awaitExit(60);
            SmallDevShm.assumeMounted(exit);
            assertTrue(ready, "the JVM under test finished (exit " + exit + ")");
            assertEquals(0, exit);
            assertTrue(jvm.fact("BLOCK_2M").contains("no space left in /dev/shm for 2097152 bytes"), jvm.fact("BLOCK_2M"));
            assertTrue(jvm.fact("ARRAY_4M").contains("no space left in /dev/shm for 4194304 bytes"), jvm.fact("ARRAY_4M"));
            assertEquals(String.valueOf(600 << 10), jvm.fact("FILLED"));
            assertTrue(jvm.fact("SECOND_600K").contains("ENOSPC"), jvm.fact("SECOND_600K"));
        }
    }
}
