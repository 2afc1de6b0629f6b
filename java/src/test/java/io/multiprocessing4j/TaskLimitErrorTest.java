package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.internal.nativ.NativeLibrary;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's limit on tasks (RLIMIT_NPROC, {@code ulimit -u}: RHEL gives users 4096) reached by a
 * start: whether the clone of the child is refused or the child's JVM cannot start its threads,
 * start() names the limit, its value and how much of it is taken. A JVM runs as a uid of its own
 * (root is exempt from the limit) with no limit, starts a child to set up its own threads, and
 * the test then lowers its limit from outside ({@code prlimit --pid}) to a few tasks above what the
 * uid has (room for the clone, not for the child's JVM), then below what it has. Needs root,
 * setpriv and prlimit.
 */
@Timeout(180)
class TaskLimitErrorTest {
    /** A uid with no passwd entry and no other process, so that every task of it is the probe's. */
    private static final int UID = 54329;
    /** Room for the clone and a few of the child JVM's threads, not for its boot (some twenty). */
    private static final int ROOM_FOR_A_FEW_THREADS = 6;

    @Test
    void aStartThatReachesTheUsersTaskLimitNamesIt(@TempDir Path directory) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && new File("/usr/bin/setpriv").canExecute()
                && new File("/usr/bin/prlimit").canExecute(), "needs root, setpriv and prlimit: skipped");
        assumeTrue(tasksOf(UID) == 0, "uid " + UID + " has processes here: skipped");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx")); // for the probe's uid
        Path classes = Path.of(NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> prefix = List.of("/usr/bin/setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups");
        List<String> options = List.of("-Dmultiprocessing4j.cacheDir=" + directory.resolve("cache"),
                "-Djava.io.tmpdir=" + directory);
        try (SeparateJvm jvm = SeparateJvm.startWithClassPath(directory, prefix, options,
                classes + File.pathSeparator + testClasses, Probe.class, directory.toString())) {
            assertTrue(jvm.awaitReady(), jvm.stdout() + jvm.stderr());

            long limit = tasksOf(UID) + ROOM_FOR_A_FEW_THREADS;
            limitTasks(jvm.pid(), limit);
            Files.createFile(directory.resolve("go-boot"));
            String bootFailure = awaitFact(jvm, "BOOT_FAILURE");
            assertTrue(bootFailure.contains("could not start a thread"), bootFailure);
            assertTrue(bootFailure.contains("RLIMIT_NPROC, ulimit -u) is " + limit + " tasks, and uid " + UID),
                    bootFailure);

            // Below what the uid has: a JVM's compiler threads come and go, and no clone may slip through.
            limit = Math.max(1, tasksOf(UID) - 5);
            limitTasks(jvm.pid(), limit);
            Files.createFile(directory.resolve("go-clone"));
            String cloneFailure = awaitFact(jvm, "CLONE_FAILURE");
            assertEquals(0, jvm.awaitExit(60), jvm.stdout() + jvm.stderr());
            assertTrue(cloneFailure.contains("clone") && cloneFailure.contains("EAGAIN"), cloneFailure);
            assertTrue(cloneFailure.contains("RLIMIT_NPROC, ulimit -u) is " + limit + " tasks, and uid " + UID),
                    cloneFailure);
        }
    }

    private static String awaitFact(SeparateJvm jvm, String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (jvm.fact(key) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + key + " within 60 s: " + jvm.stdout() + jvm.stderr());
            }
            Thread.sleep(10);
        }
        return jvm.fact(key);
    }

    private static void limitTasks(long pid, long limit) throws Exception {
        // As the probe's uid: another's limits take CAP_SYS_RESOURCE, which root may lack (a container's).
        Process prlimit = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups",
                "/usr/bin/prlimit", "--pid", Long.toString(pid), "--nproc=" + limit + ":" + limit)
                .redirectErrorStream(true).start();
        assertTrue(prlimit.waitFor(30, TimeUnit.SECONDS), "prlimit did not end");
        assertEquals(0, prlimit.exitValue(), new String(prlimit.getInputStream().readAllBytes()));
    }

    /** The tasks (threads) of real uid {@code uid}, from /proc. */
    private static long tasksOf(int uid) throws IOException {
        long tasks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                List<String> status;
                try {
                    status = Files.readAllLines(process.resolve("status"));
                } catch (IOException gone) {
                    continue;
                }
                String uids = status.stream().filter(line -> line.startsWith("Uid:")).findFirst().orElse("Uid: -1");
                if (Integer.parseInt(uids.substring(4).trim().split("\\s+")[0]) == uid) {
                    tasks += status.stream().filter(line -> line.startsWith("Threads:"))
                            .mapToLong(line -> Long.parseLong(line.substring(8).trim())).sum();
                }
            }
        }
        return tasks;
    }

    /**
     * Runs as the test's uid: a first child (the library's threads start), then, each time the test
     * has lowered the limit and said go, a start that fails, reported on one line.
     */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Path directory = Path.of(args[0]);
            ProcessContext spawn = Multiprocessing.getContext("spawn");
            ChildProcess first = spawn.newProcess(() -> { });
            first.start();
            first.join();
            first.close();
            Thread.sleep(500); // the child's memory holder ends a moment after the child
            SeparateJvm.ready();
            SeparateJvm.report("BOOT_FAILURE", failureOnceTold(directory.resolve("go-boot"), spawn));
            SeparateJvm.report("CLONE_FAILURE", failureOnceTold(directory.resolve("go-clone"), spawn));
        }

        private static String failureOnceTold(Path go, ProcessContext context) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(go) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ChildProcess child = context.newProcess(() -> { });
            try {
                child.start();
                child.join();
                return "started: exit code " + child.exitCode();
            } catch (ProcessStartException e) {
                return e.getMessage().replace('\n', '|');
            } finally {
                child.close();
            }
        }
    }
}
