package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.support.SmallDevShm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large messages travel through /dev/shm, but never fill it: producers hold them back while a quarter
 * of it would not stay free (unbounded puts keep them in their heap, bounded puts wait), and one that
 * /dev/shm could never hold fails at the put. The JVM under test runs in a private mount namespace
 * with a 2 MiB tmpfs over /dev/shm (as ShmFullTest does). Needs root; skipped otherwise.
 */
class QueueShmFullTest {
    @Test
    void largeMessagesWaitForRoomInDevShmInsteadOfFillingIt() throws Exception {
        List<String> wrapper = SmallDevShm.wrapper("2m");
        try (SeparateJvm jvm = SeparateJvm.start(wrapper, List.of(), QueueShmFullMain.class)) {
            boolean ready = jvm.awaitReady();
            int exit = jvm.awaitExit(60);
            SmallDevShm.assumeMounted(exit);
            assertTrue(ready, "the JVM under test finished (exit " + exit + ")");
            assertEquals(0, exit);
            assertTrue(jvm.fact("HUGE").contains("cannot travel through /dev/shm"), jvm.fact("HUGE"));
            assertEquals("true", jvm.fact("EMPTY_AFTER_HUGE"), "the refused message left nothing behind");
            assertEquals("3", jvm.fact("HELD_IN_SHM"), "three 400 KiB messages leave a quarter of 2 MiB free");
            assertEquals("0,1,2,3,4,5,6,7,8,9", jvm.fact("RECEIVED"), "the others followed, in order");
            assertTrue(jvm.fact("BOUNDED_FOURTH").startsWith("Full after "), jvm.fact("BOUNDED_FOURTH"));
            long waitedMs = Long.parseLong(jvm.fact("BOUNDED_FOURTH").replaceAll("\\D", ""));
            assertTrue(waitedMs >= 295 && waitedMs < 2_000, "waited " + waitedMs + " ms for a 300 ms timeout");
            assertEquals("3", jvm.fact("BOUNDED_AFTER_GET"), "a get made room for the waiting put");
        }
    }
}
