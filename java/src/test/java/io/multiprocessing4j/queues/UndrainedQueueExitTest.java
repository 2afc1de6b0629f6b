package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.SeparateJvm;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM that added 100,000 messages to a queue nobody drains exits at once: when its main returns,
 * and when it gets SIGTERM (as a container's stop, systemd or Kubernetes send). Everything put is in
 * shared memory, so there is nothing to wait for; a JVM used to stay alive for as long as a reader
 * was missing (ten minutes and more after a SIGTERM), its shutdown hook waiting for a feeder thread.
 */
@InFaultSuite
@Timeout(120)
class UndrainedQueueExitTest {
    /** Generous for a loaded machine; the old behaviour was "never". */
    private static final long EXIT_WITHIN_MS = 10_000;

    @Test
    void aJvmWhoseMainReturnsExitsAtOnce() throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(UndrainedQueueMain.class, "return")) {
            assertTrue(jvm.awaitReady(), jvm.stderr());
            assertEquals(String.valueOf(UndrainedQueueMain.COUNT), jvm.fact("QSIZE"), "everything is in the queue");
            long began = System.nanoTime();
            int exit = jvm.awaitExit(60);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertEquals(0, exit, jvm.stderr());
            assertTrue(tookMs < EXIT_WITHIN_MS, "exit took " + tookMs + " ms");
        }
    }

    @Test
    void aJvmStoppedBySigtermExitsAtOnce() throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(UndrainedQueueMain.class, "wait")) {
            assertTrue(jvm.awaitReady(), jvm.stderr());
            assertEquals(String.valueOf(UndrainedQueueMain.COUNT), jvm.fact("QSIZE"));
            long began = System.nanoTime();
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(jvm.pid())).start();
            assertEquals(0, kill.waitFor());
            int exit = jvm.awaitExit(60);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertEquals(128 + 15, exit, "the JVM's own status for SIGTERM; " + jvm.stderr());
            assertTrue(tookMs < EXIT_WITHIN_MS, "exit took " + tookMs + " ms after SIGTERM");
        }
    }
}
