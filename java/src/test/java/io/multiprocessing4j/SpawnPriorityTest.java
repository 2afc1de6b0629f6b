package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.internal.nativ.ThreadPriorities;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Event;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm spares boot nicer than their parent, and nothing else does: a JVM whose first spawns were
 * spares' (so that the library's long-lived threads were started on behalf of a boot) still gives
 * a child it spawns later its own priority, and none of its own threads runs nicer than it.
 * Run in a JVM of its own, whose first start is the spares' boot.
 */
class SpawnPriorityTest {
    @Test
    void sparesBootNicerAndEverythingElseKeepsTheParentsPriority() throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(BootsSparesFirst.class)) {
            int exit = jvm.awaitExit(120);
            assertEquals(0, exit, jvm.stderr());
            int parent = Integer.parseInt(jvm.fact("PARENT_NICE"));
            if (Boolean.parseBoolean(jvm.fact("RESTORABLE"))) {
                assertEquals(Math.min(19, parent + 10), Integer.parseInt(jvm.fact("BOOTING_SPARE_NICE")),
                        "a spare boots nicer than its parent");
            }
            assertEquals(parent, Integer.parseInt(jvm.fact("SPAWNED_CHILD_NICE")),
                    "a child spawned after the spares runs at its parent's priority");
            assertEquals("[" + parent + "]", jvm.fact("PARENT_THREAD_NICES"), "no thread of the parent runs nicer");
        }
    }

    /**
     * Each child starts at the nice value of the thread that called start() (as a forked process
     * does), whatever an earlier start asked for: one start() from a thread at nice 5 once left the
     * spawner thread, and every later child, at nice 5 in a process that may not lower a nice value
     * again (no CAP_SYS_NICE). Run as such a process: a uid of its own, under setpriv, where the
     * test runs as root; as the test's user otherwise.
     */
    @Test
    void eachChildStartsAtItsStartersNiceValue(@TempDir Path directory) throws Exception {
        List<String> prefix = List.of();
        if ("root".equals(System.getProperty("user.name"))) {
            assumeTrue(new File("/usr/bin/setpriv").canExecute(), "needs setpriv to drop root: skipped");
            prefix = List.of("/usr/bin/setpriv", "--reuid=" + UNPRIVILEGED_UID, "--regid=" + UNPRIVILEGED_UID,
                    "--clear-groups");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Path classes = Path.of(ChildProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(StartsFromANicerThread.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> options = List.of("-Dmultiprocessing4j.cacheDir=" + directory.resolve("cache"),
                "-Djava.io.tmpdir=" + directory, "-Dmultiprocessing4j.startMethod=spawn");
        try (SeparateJvm jvm = SeparateJvm.startWithClassPath(directory, prefix, options,
                classes + File.pathSeparator + testClasses, StartsFromANicerThread.class)) {
            int exit = jvm.awaitExit(120);
            assertEquals(0, exit, jvm.stdout() + jvm.stderr());
            assertEquals("false", jvm.fact("MAY_LOWER_NICE"), "the JVM was to be unprivileged: " + jvm.stdout());
            int own = Integer.parseInt(jvm.fact("OWN_NICE"));
            assertEquals(Math.min(19, own + 5), Integer.parseInt(jvm.fact("NICER_THREADS_CHILD")),
                    "a child of a thread at nice " + (own + 5));
            assertEquals(own, Integer.parseInt(jvm.fact("MAIN_THREADS_FIRST_CHILD")), "a child of the main thread");
            assertEquals(own, Integer.parseInt(jvm.fact("MAIN_THREADS_CHILD")),
                    "a child of the main thread, started after the nicer thread's");
            assertEquals(own, Integer.parseInt(jvm.fact("SPAWNER_NICE")), "the spawner thread's own");
        }
    }

    /** A uid with no passwd entry, for a JVM without privileges. */
    private static final int UNPRIVILEGED_UID = 54331;

    /**
     * Starts a child from the main thread, one from a thread at nice +5, then one from the main
     * thread again; reports their nice values.
     */
    public static final class StartsFromANicerThread {
        public static void main(String[] args) throws Exception {
            int own = ProcessTable.nice("self");
            SeparateJvm.report("OWN_NICE", own);
            // The first start, from this thread, starts the spawner thread at the process's nice
            // value. (Had the nicer thread come first, the spawner would have its value for good
            // here: a thread that starts nicer than the process may not lower it.)
            SeparateJvm.report("MAIN_THREADS_FIRST_CHILD", childsNice());
            Thread nicer = new Thread(() -> {
                try {
                    ThreadPriorities.setNice(0, own + 5);
                    SeparateJvm.report("NICER_THREADS_CHILD", childsNice());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            nicer.start();
            nicer.join();
            SeparateJvm.report("MAIN_THREADS_CHILD", childsNice());
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    if (Files.readString(task.resolve("comm")).strip().equals("mp4j-spawner")) {
                        SeparateJvm.report("SPAWNER_NICE", ProcessTable.nice("self/task/" + task.getFileName()));
                    }
                }
            }
            boolean mayLower = own > -20 && ThreadPriorities.setNice(0, own - 1) && ThreadPriorities.setNice(0, own);
            SeparateJvm.report("MAY_LOWER_NICE", mayLower);
        }

        /** The nice value of a child started from the calling thread, read while it runs. */
        private static int childsNice() throws Exception {
            try (Event go = new Event()) {
                ChildProcess child = new ChildProcess(() -> go.await(Duration.ofSeconds(60)));
                child.start();
                try {
                    return ProcessTable.nice(Long.toString(child.pid().getAsLong()));
                } finally {
                    go.set();
                    child.join();
                }
            }
        }
    }

    /** Boots spares first, then spawns a child; reports the nice values seen. */
    public static final class BootsSparesFirst {
        public static void main(String[] args) throws Exception {
            ProcessContext warm = Multiprocessing.getContext("warm").toBuilder().warmSpares(1).build().warmUp();
            SeparateJvm.report("PARENT_NICE", ProcessTable.nice("self"));
            SeparateJvm.report("RESTORABLE", io.multiprocessing4j.internal.process.SparePriority.restorableForTests());
            SeparateJvm.report("BOOTING_SPARE_NICE", bootingSpareNice());
            if (!warm.awaitWarmSpares(Duration.ofSeconds(60))) {
                throw new AssertionError("the spare did not boot");
            }
            try (Event go = new Event()) {
                ChildProcess child = Multiprocessing.getContext("spawn").newProcess(() -> go.await(Duration.ofSeconds(60)));
                child.start();
                SeparateJvm.report("SPAWNED_CHILD_NICE", ProcessTable.nice(Long.toString(child.pid().getAsLong())));
                go.set();
                child.join();
            }
            TreeSet<Integer> nices = new TreeSet<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    nices.add(ProcessTable.nice("self/task/" + task.getFileName()));
                }
            }
            SeparateJvm.report("PARENT_THREAD_NICES", nices);
            SeparateJvm.ready();
        }

        /** The nice value of the spare booting now: our one child that is not a memory holder. */
        private static int bootingSpareNice() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (long pid : ProcessTable.childrenOf(ProcessHandle.current().pid())) {
                    try {
                        if (!ProcessTable.isMemoryHolder(pid) && !ProcessTable.isResourceTracker(pid)) {
                            return ProcessTable.nice(Long.toString(pid));
                        }
                    } catch (IOException gone) {
                        // ended meanwhile
                    }
                }
                Thread.sleep(1);
            }
            throw new AssertionError("no spare was seen booting");
        }
    }
}
