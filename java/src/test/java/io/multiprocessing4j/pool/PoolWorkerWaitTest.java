package io.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.support.ReapChildren;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pool's own waits are in the kernel: an idle worker has started no thread of the library (no
 * readiness poller), so its first task does not pay for one; and the pool's supervisor sleeps in
 * poll(2) itself, not parked on the poller, so a worker's answer wakes it in one hop.
 */
@ExtendWith(ReapChildren.class)
@Timeout(120)
class PoolWorkerWaitTest {

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "warm"})
    void anIdleWorkerHasNoPollerThread(String method) throws Exception {
        try (Pool pool = Pool.builder().processes(1).context(Multiprocessing.getContext(method)).build()) {
            assertEquals(1, pool.apply(() -> 1)); // a first task received and answered
            Thread.sleep(50); // the worker idles, waiting for the next
            List<String> threads = pool.apply(PoolWorkerWaitTest::libraryThreads);
            assertEquals(List.of(), threads);
            pool.shutdown();
            pool.join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "warm"})
    void theSupervisorSleepsInPollItself(String method) throws Exception {
        try (Pool pool = Pool.builder().processes(1).context(Multiprocessing.getContext(method)).build()) {
            assertEquals(1, pool.apply(() -> 1));
            Thread supervisor = null;
            int newest = -1;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                java.util.regex.Matcher name = java.util.regex.Pattern.compile("Pool-([0-9]+)-supervisor")
                        .matcher(thread.getName());
                if (name.matches() && Integer.parseInt(name.group(1)) > newest) {
                    newest = Integer.parseInt(name.group(1)); // pools are numbered as made: this one's
                    supervisor = thread;
                }
            }
            assertNotNull(supervisor, "no supervisor thread for " + pool);
            Thread.sleep(1200); // longer than a platform thread's moment in poll(2) before it would park
            StackTraceElement[] stack = supervisor.getStackTrace();
            assertEquals(Thread.State.RUNNABLE, supervisor.getState(), java.util.Arrays.toString(stack));
            assertTrue(stack.length > 0 && stack[0].isNativeMethod() && stack[0].getMethodName().startsWith("poll"),
                    "the idle supervisor is not in poll(2): " + java.util.Arrays.toString(stack));
            pool.shutdown();
            pool.join();
        }
    }

    /** In the worker: the names of the library's own threads (the JVM's are left out). */
    static List<String> libraryThreads() {
        TreeSet<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("mp4j") || thread.getName().startsWith("multiprocessing4j")) {
                names.add(thread.getName());
            }
        }
        return List.copyOf(names);
    }
}
