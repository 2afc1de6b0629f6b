package io.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.testing.JvmUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request larger than what /dev/shm has free fails at creation with a clear exception, never with
 * a SIGBUS later. The JVM under test runs in a private mount namespace with a 1 MiB tmpfs over
 * /dev/shm, so nobody else's shared memory is touched. Needs root (to mount); skipped otherwise.
 */
class ShmFullTest {
    /** The wrapper's exit code when it cannot mount (no privilege, no unshare). */
    private static final int CANNOT_MOUNT = 77;

    @Test
    void requestsBeyondTheFreeSpaceFailAtCreation() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a small tmpfs; skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare(1); skipped");
        List<String> wrapper = List.of("/usr/bin/unshare", "--mount", "--propagation", "private", "--",
                "/bin/sh", "-c", "mount -t tmpfs -o size=1m tmpfs /dev/shm || exit " + CANNOT_MOUNT + "; exec \"$@\"",
                "sh");
        try (JvmUnderTest jvm = JvmUnderTest.start(wrapper, FullShmMain.class, List.of())) {
            boolean ready = jvm.awaitReady();
            int exit = jvm.exitValue(60);
            assumeTrue(exit != CANNOT_MOUNT, "cannot mount a tmpfs in a new mount namespace here; skipped");
            assertTrue(ready, "the JVM under test finished (exit " + exit + ")");
            assertEquals(0, exit);
            assertTrue(jvm.fact("BLOCK_2M").contains("no space left in /dev/shm for 2097152 bytes"), jvm.fact("BLOCK_2M"));
            assertTrue(jvm.fact("ARRAY_4M").contains("no space left in /dev/shm for 4194304 bytes"), jvm.fact("ARRAY_4M"));
            assertEquals(String.valueOf(600 << 10), jvm.fact("FILLED"));
            assertTrue(jvm.fact("SECOND_600K").contains("ENOSPC"), jvm.fact("SECOND_600K"));
        }
    }
}
