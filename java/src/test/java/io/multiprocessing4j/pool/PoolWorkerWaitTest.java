package io.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.support.ReapChildren;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A worker waits for its tasks in the kernel: idle between tasks, it has started no thread of
 * the library (no readiness poller), and its first task does not pay for one.
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
