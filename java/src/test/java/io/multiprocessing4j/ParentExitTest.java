package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.Reports;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to children when their parent JVM ends: at a normal exit, Python's rules (daemon
 * children terminated, the others joined); when the parent is SIGKILLed, daemon children die
 * within a second and the others live on, as Python's do.
 */
@InFaultSuite
@ProcessSemantics
class ParentExitTest {

    /** A parent that starts one child of each kind, reports their pids, then returns from main. */
    public static final class ReturningParent {
        public static void main(String[] args) throws Exception {
            String report = args[0];
            ChildProcess daemon = new ChildProcess(() -> Thread.sleep(120_000), "daemon", true);
            ChildProcess worker = new ChildProcess(() -> {
                Thread.sleep(1000);
                Reports.put(report, "workerDone", System.nanoTime());
            }, "worker", false);
            daemon.start();
            worker.start();
            Reports.put(report, "daemonPid", daemon.pid().orElseThrow());
            Reports.put(report, "workerPid", worker.pid().orElseThrow());
        }
    }

    /** A parent that starts one child of each kind, reports their pids, then waits to be killed. */
    public static final class WaitingParent {
        public static void main(String[] args) throws Exception {
            String report = args[0];
            ChildProcess daemon = new ChildProcess(() -> Thread.sleep(120_000), "daemon", true);
            ChildProcess survivor = new ChildProcess(() -> Thread.sleep(120_000), "survivor", false);
            daemon.start();
            survivor.start();
            Reports.put(report, "daemonPid", daemon.pid().orElseThrow());
            Reports.put(report, "survivorPid", survivor.pid().orElseThrow());
            Thread.sleep(120_000);
        }
    }

    @Test
    void atNormalExitNonDaemonChildrenAreJoinedAndDaemonChildrenTerminated(@TempDir Path directory)
            throws Exception {
        Path report = directory.resolve("report");
        try (SeparateJvm parent = SeparateJvm.start(directory, ReturningParent.class, report.toString())) {
            assertNotNull(Reports.await(report, "workerPid", Duration.ofSeconds(60)), parent.stderr());
            long daemonPid = Long.parseLong(Reports.read(report).get("daemonPid"));
            assertEquals(0, parent.awaitExit(60), parent.stderr());
            Map<String, String> seen = Reports.read(report);
            assertNotNull(seen.get("workerDone"), "the parent exited before its non-daemon child finished");
            assertTrue(ProcessTable.awaitGone(daemonPid, Duration.ofSeconds(5)), "daemon child outlived its parent");
        }
    }

    @Test
    void whenTheParentIsKilledItsDaemonChildrenDieWithinASecond(@TempDir Path directory) throws Exception {
        Path report = directory.resolve("report");
        long survivorPid = -1;
        try (SeparateJvm parent = SeparateJvm.start(directory, WaitingParent.class, report.toString())) {
            assertNotNull(Reports.await(report, "survivorPid", Duration.ofSeconds(60)), parent.stderr());
            Map<String, String> seen = Reports.read(report);
            long daemonPid = Long.parseLong(seen.get("daemonPid"));
            survivorPid = Long.parseLong(seen.get("survivorPid"));
            assertTrue(ProcessTable.isRunning(daemonPid));

            assertEquals(0, Posix.kill(parent.pid(), Posix.SIGKILL));
            long killed = System.nanoTime();
            assertTrue(ProcessTable.awaitGone(daemonPid, Duration.ofSeconds(1)),
                    "daemon child " + daemonPid + " still running 1 s after its parent was killed");
            assertTrue(System.nanoTime() - killed < Duration.ofSeconds(1).toNanos());
            Thread.sleep(300);
            assertTrue(ProcessTable.isRunning(survivorPid), "a non-daemon child outlives a killed parent, as in Python");
        } finally {
            if (survivorPid > 0) {
                Posix.kill(survivorPid, Posix.SIGKILL);
                ProcessTable.awaitGone(survivorPid, Duration.ofSeconds(10));
            }
            Files.deleteIfExists(report);
        }
    }
}
