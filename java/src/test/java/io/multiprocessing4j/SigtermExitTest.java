package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.nativ.Signals;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.Reports;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM is stopped with SIGTERM in containers, by systemd and by Kubernetes, and is SIGKILLed if it
 * lingers: its exit must take bounded time whatever its children do. A daemon child that ignores
 * SIGTERM is killed after a grace period (Python would wait for it for ever); non-daemon children
 * are not joined when a signal stops the parent (they live on, as when Python's parent is killed).
 */
@InFaultSuite
@ProcessSemantics
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SigtermExitTest {
    private static final Duration EXIT_BOUND = Duration.ofSeconds(5);

    static void ignoreSigtermAndSleep() throws Exception {
        Signals.ignore(Posix.SIGTERM);
        Thread.sleep(120_000);
    }

    /** Starts a SIGTERM-ignoring daemon child and a long non-daemon child, reports their pids, waits. */
    public static final class ParentWithStubbornChildren {
        public static void main(String[] args) throws Exception {
            String report = args[0];
            ChildProcess stubborn = new ChildProcess(SigtermExitTest::ignoreSigtermAndSleep, "stubborn", true);
            ChildProcess survivor = new ChildProcess(() -> Thread.sleep(120_000), "survivor", false);
            stubborn.start();
            survivor.start();
            Reports.put(report, "stubbornPid", stubborn.pid().orElseThrow());
            Reports.put(report, "survivorPid", survivor.pid().orElseThrow());
            Thread.sleep(120_000);
        }
    }

    /** Starts a SIGTERM-ignoring daemon child, reports its pid, and returns from main. */
    public static final class ReturningParent {
        public static void main(String[] args) throws Exception {
            ChildProcess stubborn = new ChildProcess(SigtermExitTest::ignoreSigtermAndSleep, "stubborn", true);
            stubborn.start();
            Thread.sleep(300); // let the child reach its SIG_IGN before the parent's exit terminates it
            Reports.put(args[0], "stubbornPid", stubborn.pid().orElseThrow());
        }
    }

    @Test
    void aSigtermedParentExitsInBoundedTimeAndKillsItsStubbornDaemonChild(@TempDir Path directory) throws Exception {
        Path report = directory.resolve("report");
        long survivorPid = -1;
        try (SeparateJvm parent = SeparateJvm.start(directory, ParentWithStubbornChildren.class, report.toString())) {
            assertNotNull(Reports.await(report, "survivorPid", Duration.ofSeconds(60)), parent.stderr());
            Map<String, String> seen = Reports.read(report);
            long stubbornPid = Long.parseLong(seen.get("stubbornPid"));
            survivorPid = Long.parseLong(seen.get("survivorPid"));
            Thread.sleep(300); // the stubborn child's SIG_IGN is in place

            long began = System.nanoTime();
            assertEquals(0, Posix.kill(parent.pid(), Posix.SIGTERM));
            int status = parent.awaitExit(EXIT_BOUND.toSeconds() + 1);
            long tookMillis = (System.nanoTime() - began) / 1_000_000;
            assertEquals(128 + Posix.SIGTERM, status, "exit status of the SIGTERMed JVM; stderr: " + parent.stderr());
            assertTrue(tookMillis < EXIT_BOUND.toMillis(), "exit took " + tookMillis + " ms");
            assertTrue(ProcessTable.awaitGone(stubbornPid, Duration.ofSeconds(2)),
                    "the daemon child that ignores SIGTERM outlived its parent");
            assertTrue(ProcessTable.isRunning(survivorPid), "a non-daemon child is left running, not joined");
        } finally {
            if (survivorPid > 0) {
                Posix.kill(survivorPid, Posix.SIGKILL);
                ProcessTable.awaitGone(survivorPid, Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void aNormalExitDoesNotWaitForEverForADaemonChildThatIgnoresSigterm(@TempDir Path directory) throws Exception {
        Path report = directory.resolve("report");
        try (SeparateJvm parent = SeparateJvm.start(directory, ReturningParent.class, report.toString())) {
            assertNotNull(Reports.await(report, "stubbornPid", Duration.ofSeconds(60)), parent.stderr());
            long stubbornPid = Long.parseLong(Reports.read(report).get("stubbornPid"));
            assertEquals(0, parent.awaitExit(EXIT_BOUND.toSeconds()), parent.stderr());
            assertTrue(ProcessTable.awaitGone(stubbornPid, Duration.ofSeconds(2)),
                    "the daemon child that ignores SIGTERM outlived its parent");
        }
    }
}
