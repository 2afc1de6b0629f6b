package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.support.SmallDevShm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full /dev/shm: large messages travel through it but never fill it (a quarter stays free), and a
 * put that finds no room waits (blocking) or fails with {@link Full} after its timeout, saying why;
 * nothing is lost or kept aside, small messages go on flowing, a closed and unlinked SharedMemory
 * is free at once, and the JVM exits at once with messages still in a queue. The JVM under test runs
 * in a private mount namespace with a 2 MiB tmpfs over /dev/shm (as ShmFullTest does). Needs root;
 * skipped otherwise.
 */
@InFaultSuite
class QueueShmFullTest {
    @Test
    void putsWaitOrFailClearlyWhenDevShmIsFullAndLoseNothing() throws Exception {
        List<String> wrapper = SmallDevShm.wrapper("2m");
        try (SeparateJvm jvm = SeparateJvm.start(wrapper, List.of(), QueueShmFullMain.class)) {
            boolean ready = jvm.awaitReady();
            long readyAt = System.nanoTime();
            int exit = jvm.awaitExit(60);
            long exitMs = (System.nanoTime() - readyAt) / 1_000_000;
            SmallDevShm.assumeMounted(exit);
            assertTrue(ready, "the JVM under test finished (exit " + exit + ")");
            assertEquals(0, exit);
            assertTrue(exitMs < 5_000, "exit took " + exitMs + " ms with " + jvm.fact("LEFT_IN_QUEUE")
                    + " messages in a queue nobody reads");
            assertEquals("2000", jvm.fact("LEFT_IN_QUEUE"));
            assertTrue(Long.parseLong(jvm.fact("SHM_FREED_KIB")) >= 1000,
                    "SharedMemory.close() + unlink() freed its MiB at once: " + jvm.fact("SHM_FREED_KIB") + " KiB");

            assertTrue(Integer.parseInt(jvm.fact("RING_HELD")) > 100, "offers filled the ring: " + jvm.fact("RING_HELD"));
            String refused = jvm.fact("GROW_REFUSED");
            assertTrue(refused.startsWith("Full after ") && refused.contains("/dev/shm"), refused);
            long refusedMs = Long.parseLong(refused.replaceAll("^Full after (\\d+) ms.*$", "$1"));
            assertTrue(refusedMs >= 295 && refusedMs < 2_000, "waited " + refusedMs + " ms for a 300 ms timeout");
            assertTrue(Long.parseLong(jvm.fact("GROWN_AFTER_FREE_MS")) < 2_000, "grew once room was freed: "
                    + jvm.fact("GROWN_AFTER_FREE_MS") + " ms");
            assertEquals("true", jvm.fact("GROWN_IN_ORDER"), "nothing lost, in order");

            assertTrue(jvm.fact("HUGE").contains("cannot travel through /dev/shm"), jvm.fact("HUGE"));
            assertEquals("true", jvm.fact("EMPTY_AFTER_HUGE"), "the refused message left nothing behind");
            String timed = jvm.fact("TIMED_FOURTH");
            assertTrue(timed.startsWith("Full after ") && timed.contains("/dev/shm"), timed);
            long waitedMs = Long.parseLong(timed.replaceAll("^Full after (\\d+) ms.*$", "$1"));
            assertTrue(waitedMs >= 295 && waitedMs < 2_000, "waited " + waitedMs + " ms for a 300 ms timeout");
            assertEquals("false", jvm.fact("OFFER_FOURTH"));
            assertTrue(jvm.fact("ADD_FOURTH").contains("/dev/shm"), jvm.fact("ADD_FOURTH"));
            assertEquals("103", jvm.fact("HELD"), "3 large and 100 small messages are in the queue");
            assertEquals("true", jvm.fact("BLOCKED_WHILE_FULL"), "a blocking put waits for room");
            assertTrue(Long.parseLong(jvm.fact("BLOCKED_PUT_WAITED_MS")) >= 400, jvm.fact("BLOCKED_PUT_WAITED_MS"));
            StringBuilder expected = new StringBuilder("L0 L1 L2");
            for (int i = 0; i < 100; i++) {
                expected.append(' ').append(i);
            }
            expected.append(" L3");
            assertEquals(expected.toString(), jvm.fact("RECEIVED"), "everything, in order, the waiting put last");

            assertTrue(jvm.fact("BOUNDED_FOURTH").startsWith("Full after "), jvm.fact("BOUNDED_FOURTH"));
            long boundedMs = Long.parseLong(jvm.fact("BOUNDED_FOURTH").replaceAll("\\D", ""));
            assertTrue(boundedMs >= 295 && boundedMs < 2_000, "waited " + boundedMs + " ms for a 300 ms timeout");
            assertEquals("3", jvm.fact("BOUNDED_AFTER_GET"), "a get made room for the waiting put");
        }
    }
}
