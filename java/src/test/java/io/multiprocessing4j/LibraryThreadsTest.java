package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.support.KernelThreadNames;
import io.multiprocessing4j.support.Reports;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
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
 * The "request" thread is also pinned to one CPU (as an affinity library pins a busy thread) and
 * runs at nice 5: the library's threads take the process's CPU mask and nice value instead, and
 * a child it spawns gets the process's CPUs, not that one.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LibraryThreadsTest {
    /** Names of the threads the library keeps for itself (see LibraryThreads). */
    private static final String LIBRARY_THREAD_PREFIX = "mp4j-";

    public static final class FirstUseInARequest {
        private static final InheritableThreadLocal<Object> REQUEST_CONTEXT = new InheritableThreadLocal<>();

        public static void main(String[] args) throws Exception {
            String report = args[0];
            List<WeakReference<Object>> held = handleOneRequest(report);
            Map<String, String> loaders = new TreeMap<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith(LIBRARY_THREAD_PREFIX)) {
                    ClassLoader loader = thread.getContextClassLoader();
                    loaders.put(thread.getName(), loader == null ? "none" : loader.getClass().getName());
                }
            }
            Reports.put(report, "threads", loaders);
            // Under warm, this start has spares replaced in the background: the spawner must stay
            // at the process's nice value all the while (each child sets its own).
            ChildProcess fromMain = new ChildProcess(() -> { });
            fromMain.start();
            fromMain.join();
            Reports.put(report, "processScheduling", scheduling("/proc/self/status"));
            Reports.put(report, "libraryThreadScheduling", libraryThreadScheduling());
            Reports.put(report, "contextCollected", awaitCollected(held.get(0)));
            Reports.put(report, "loaderCollected", awaitCollected(held.get(1)));
        }

        /** Runs one "request" to its end; returns weak references to its context value and its class loader. */
        private static List<WeakReference<Object>> handleOneRequest(String report) throws Exception {
            Object context = new Object();
            ClassLoader webApplication = new URLClassLoader(new URL[0], null);
            List<WeakReference<Object>> held = List.of(new WeakReference<>(context), new WeakReference<>(webApplication));
            List<Throwable> failure = new ArrayList<>();
            Thread request = new Thread(() -> {
                REQUEST_CONTEXT.set(context);
                try {
                    pinToOneCpuAtNiceFive(report);
                    useWhatStartsLibraryThreads(report);
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

        /** The calling thread on the last CPU of the process's mask (if it has two or more), at nice 5. */
        private static void pinToOneCpuAtNiceFive(String report) throws IOException {
            // By its soname, for the dynamic linker to find: asked for "c", jnr-ffi searched the
            // directories itself and took an aarch64 libc.so.6 where arm64 multiarch packages were
            // installed (as .ci/arm64-jvm does), and failed to load it.
            LibC libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
            String cpus = scheduling("/proc/thread-self/status").split("/")[0];
            String[] ranges = cpus.split("[,-]");
            int last = Integer.parseInt(ranges[ranges.length - 1]);
            if (!cpus.equals(Integer.toString(last))) {
                byte[] mask = new byte[128]; // 1024 CPUs
                mask[last / 8] = (byte) (1 << (last % 8));
                if (libc.sched_setaffinity(0, mask.length, mask) != 0) {
                    throw new IOException("sched_setaffinity failed");
                }
            }
            if (libc.setpriority(0 /* PRIO_PROCESS: for a thread id, or 0, that thread */, 0, 5) != 0) {
                throw new IOException("setpriority failed");
            }
            Reports.put(report, "requestScheduling", scheduling("/proc/thread-self/status"));
        }

        /** What libc calls the test makes to set the request thread up (jnr-ffi, an independent path). */
        public interface LibC {
            int sched_setaffinity(int pid, long size, byte[] mask);

            int setpriority(int which, int who, int priority);
        }

        /** "cpus/nice" of a task, from its status and stat files. */
        static String scheduling(String statusFile) throws IOException {
            String cpus = Files.readAllLines(Path.of(statusFile)).stream()
                    .filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                    .substring("Cpus_allowed_list:".length()).trim();
            String stat = Files.readString(Path.of(statusFile).resolveSibling("stat"));
            // After the command in parentheses: state is field 3, nice field 19.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return cpus + "/" + fields[19 - 3];
        }

        /** "cpus/nice" of each thread of the library (by the names they give themselves), keyed by name and tid. */
        private static Map<String, String> libraryThreadScheduling() throws IOException {
            Map<String, String> seen = new TreeMap<>();
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith(LIBRARY_THREAD_PREFIX)) {
                        seen.put(name + "-" + task.getFileName(), scheduling(task.resolve("status").toString()));
                    }
                }
            }
            return seen;
        }

        private static void useWhatStartsLibraryThreads(String report) throws Exception {
            ChildProcess spawned = new ChildProcess(() -> Reports.put(report, "spawnedChildScheduling",
                    scheduling("/proc/self/status")));
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
            int status = jvm.awaitExit(150);
            Map<String, String> seen = Reports.read(report);
            assertEquals(0, status, "the JVM failed; its report: " + seen + "\nstderr:\n" + jvm.stderr());
            assertNotNull(seen.get("loaderCollected"), "it did not report all: " + seen);
            String threads = seen.get("threads");
            for (String expected : List.of("mp4j-exit-watcher", "mp4j-spawner",
                    "mp4j-warm-timer", "mp4j-readiness-poller")) {
                assertTrue(threads.contains(expected + "="), "no " + expected + " among " + threads);
            }
            assertTrue(threads.matches("\\{([^=,]+=none(, )?)+\\}"), "context class loaders of the library's threads: " + threads);
            assertEquals("true", seen.get("contextCollected"), "the request's inheritable thread-local value is still held");
            assertEquals("true", seen.get("loaderCollected"), "the request's context class loader is still held");

            String process = seen.get("processScheduling");
            String request = seen.get("requestScheduling");
            String processCpus = process.split("/")[0];
            String libraryThreads = seen.get("libraryThreadScheduling");
            assertTrue(request.endsWith("/5"), "the request thread was set up: " + request);
            assertTrue(libraryThreads.contains("="), "library threads were seen: " + libraryThreads);
            for (String expected : List.of("mp4j-exit-watcher", "mp4j-spawner", "mp4j-warm-timer")) {
                String kernelName = KernelThreadNames.of(expected); // all the kernel keeps
                assertTrue(libraryThreads.contains(kernelName + "-"), "the kernel names " + expected + " " + kernelName
                        + ": " + libraryThreads);
            }
            for (String thread : libraryThreads.substring(1, libraryThreads.length() - 1).split(", ")) {
                String scheduling = thread.substring(thread.indexOf('=') + 1);
                assertEquals(processCpus, scheduling.split("/")[0], "CPUs of " + thread + ", the process's: " + process
                        + ", the request's: " + request);
                if ("root".equals(System.getProperty("user.name"))) { // others may not lower a nice value
                    assertEquals(process.split("/")[1], scheduling.split("/")[1], "nice of " + thread);
                }
            }
            assertEquals(processCpus, seen.get("spawnedChildScheduling").split("/")[0],
                    "a child spawned from the pinned thread: " + seen.get("spawnedChildScheduling"));
            assertEquals(request.split("/")[1], seen.get("spawnedChildScheduling").split("/")[1],
                    "a child takes the nice value of the thread that started it");
        }
    }
}
