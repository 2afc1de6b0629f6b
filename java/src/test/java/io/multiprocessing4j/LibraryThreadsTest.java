package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.support.Reports;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a server the library is first used from a request's handler, and the threads it starts then
 * for its own work live as long as the JVM: they must hold nothing of the thread that happened to
 * start them. A JVM of its own uses, for the first time and from one "request" thread with an
 * inheritable thread-local and a context class loader of its own (a web application's, say),
 * what starts those threads: a spawned child, a warm start, a receive that parks, a wait for a
 * lock another process holds. Once that thread has ended, its thread-local value and its class
 * loader must be collectable, and no thread of the library may have a context class loader.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LibraryThreadsTest {
    /** Names of the threads the library keeps for itself (see LibraryThreads). */
    private static final List<String> LIBRARY_THREAD_PREFIXES = List.of("multiprocessing4j-", "mp4j-");

    public static final class FirstUseInARequest {
        private static final InheritableThreadLocal<Object> REQUEST_CONTEXT = new InheritableThreadLocal<>();

        public static void main(String[] args) throws Exception {
            String report = args[0];
            List<WeakReference<Object>> held = handleOneRequest();
            Map<String, String> loaders = new TreeMap<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (LIBRARY_THREAD_PREFIXES.stream().anyMatch(thread.getName()::startsWith)) {
                    ClassLoader loader = thread.getContextClassLoader();
                    loaders.put(thread.getName(), loader == null ? "none" : loader.getClass().getName());
                }
            }
            Reports.put(report, "threads", loaders);
            Reports.put(report, "contextCollected", awaitCollected(held.get(0)));
            Reports.put(report, "loaderCollected", awaitCollected(held.get(1)));
        }

        /** Runs one "request" to its end; returns weak references to its context value and its class loader. */
        private static List<WeakReference<Object>> handleOneRequest() throws Exception {
            Object context = new Object();
            ClassLoader webApplication = new URLClassLoader(new URL[0], null);
            List<WeakReference<Object>> held = List.of(new WeakReference<>(context), new WeakReference<>(webApplication));
            List<Throwable> failure = new ArrayList<>();
            Thread request = new Thread(() -> {
                REQUEST_CONTEXT.set(context);
                try {
                    useWhatStartsLibraryThreads();
                } catch (Throwable e) {
                    failure.add(e);
                }
            }, "request-1");
            request.setContextClassLoader(webApplication);
            request.start();
            request.join();
            if (!failure.isEmpty()) {
                throw new AssertionError("the request failed", failure.get(0));
            }
            return held;
        }

        private static void useWhatStartsLibraryThreads() throws Exception {
            ChildProcess spawned = new ChildProcess(() -> { });
            spawned.start();
            spawned.join();

            ProcessContext warm = ProcessContext.builder().startMethod(StartMethod.WARM).build();
            ChildProcess onASpare = warm.newProcess(() -> { });
            onASpare.start();
            onASpare.join();

            // A receive that finds nothing for a while parks, with the library's poller watching.
            try (Pipe pipe = Pipe.open()) {
                Connection sender = pipe.second();
                ChildProcess late = new ChildProcess(() -> {
                    Thread.sleep(300);
                    sender.send("late");
                });
                late.start();
                pipe.first().recv();
                late.join();
            }

            // A wait for a lock another process holds sleeps on the lock's word.
            try (Lock lock = new Lock()) {
                ChildProcess holder = new ChildProcess(() -> {
                    lock.acquire();
                    Thread.sleep(500);
                    lock.release();
                });
                holder.start();
                while (lock.acquire(false)) { // until the holder has it
                    lock.release();
                    Thread.sleep(5);
                }
                lock.acquire();
                lock.release();
                holder.join();
            }
        }

        private static boolean awaitCollected(WeakReference<Object> reference) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (reference.get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            return reference.get() == null;
        }
    }

    @Test
    void threadsTheLibraryKeepsHoldNothingOfTheThreadThatFirstNeededThem(@TempDir Path directory) throws Exception {
        Path report = directory.resolve("report");
        try (SeparateJvm jvm = SeparateJvm.start(directory, FirstUseInARequest.class, report.toString())) {
            assertNotNull(Reports.await(report, "loaderCollected", Duration.ofSeconds(150)), jvm.stderr());
            Map<String, String> seen = Reports.read(report);
            String threads = seen.get("threads");
            for (String expected : List.of("multiprocessing4j-exit-watcher", "multiprocessing4j-spawner",
                    "multiprocessing4j-warm-timer", "mp4j-readiness-poller")) {
                assertTrue(threads.contains(expected + "="), "no " + expected + " among " + threads);
            }
            assertTrue(threads.matches("\\{([^=,]+=none(, )?)+\\}"), "context class loaders of the library's threads: " + threads);
            assertEquals("true", seen.get("contextCollected"), "the request's inheritable thread-local value is still held");
            assertEquals("true", seen.get("loaderCollected"), "the request's context class loader is still held");
        }
    }
}
