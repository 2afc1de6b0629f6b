package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.process.WarmSpares;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.Reports;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the warm start method adds: spares ready ahead of time, replaced as used, gone with their parent. */
@ExtendWith(ReapChildren.class)
class WarmStartTest {

    /** The running children of {@code parent}, without the memory holders of its children. */
    static List<Long> runningChildren(long parent) {
        return runningChildren(parent, false);
    }

    /** The running children of {@code parent} that are memory holders, or all others but its resource tracker. */
    static List<Long> runningChildren(long parent, boolean holders) {
        return ProcessTable.childrenOf(parent).stream()
                .filter(pid -> ProcessTable.isRunning(pid) && ProcessTable.isMemoryHolder(pid) == holders
                        && !ProcessTable.isResourceTracker(pid))
                .collect(Collectors.toList());
    }

    /** Our children that are not processes we started: the spares. */
    static List<Long> spares() {
        List<Long> active = Multiprocessing.activeChildren().stream()
                .map(child -> child.pid().orElseThrow()).collect(Collectors.toList());
        return runningChildren(ProcessHandle.current().pid()).stream()
                .filter(pid -> !active.contains(pid)).collect(Collectors.toList());
    }

    /** A warm context of its own ({@code name} sets it apart) whose two spares have booted. */
    private static ProcessContext withTwoSparesReady(String name) throws InterruptedException {
        ProcessContext context = Multiprocessing.getContext("warm").toBuilder()
                .jvmOptions("-Dmp4j.test.context=" + name).warmSpares(2).build().warmUp();
        assertTrue(WarmSpares.of(context.settings()).awaitSettled(Duration.ofSeconds(60)));
        return context;
    }

    @Test
    void sparesAreBootedAheadAndReplacedAsTheyAreUsed() throws Exception {
        ProcessContext context = withTwoSparesReady("replaced");
        WarmSpares spares = WarmSpares.of(context.settings());
        assertEquals(2, spares.readyCount());
        for (int i = 0; i < 3; i++) {
            // Spaced further apart than a boot: the count stays at the floor (WarmSparesDemandTest
            // has starts that come faster).
            assertTrue(spares.awaitSettled(Duration.ofSeconds(60)));
            ChildProcess child = context.newProcess(() -> System.exit(6));
            child.start();
            child.join();
            assertEquals(OptionalInt.of(6), child.exitCode());
        }
        assertTrue(spares.awaitSettled(Duration.ofSeconds(60)));
        assertEquals(2, spares.readyCount(), "used spares are replaced");
        assertEquals(3, spares.handOffCount(), "every start was handed to a spare");
    }

    @Test
    void aSpareKilledWhileWaitingIsPassedOver() throws Exception {
        ProcessContext context = Multiprocessing.getContext("warm").toBuilder()
                .jvmOptions("-Dmp4j.test.context=killed").build().warmUp();
        assertTrue(context.awaitWarmSpares(Duration.ofSeconds(60)));
        List<Long> before = spares();
        assertFalse(before.isEmpty());
        for (long spare : before) {
            Posix.kill(spare, Posix.SIGKILL);
        }
        for (long spare : before) {
            assertTrue(ProcessTable.awaitGone(spare, Duration.ofSeconds(10)));
        }
        ChildProcess child = context.newProcess(() -> System.exit(3));
        child.start();
        child.join();
        assertEquals(OptionalInt.of(3), child.exitCode());
        assertFalse(before.contains(child.pid().orElseThrow()));
    }

    /**
     * Spares that end while their orders are on the way, after the first bytes went: a target too
     * big for the socket's buffer waits for a spare to read it, and the spares are stopped, then
     * killed. None took the target, so the start passes them over (to a JVM of its own, here) and
     * runs, where it used to fail with "exited with code -9 before running its target". (The same
     * race, a spare dying while its orders leave, failed a start on a loaded machine.)
     */
    @Test
    void sparesThatEndWhileTheirOrdersAreOnTheWayArePassedOver() throws Exception {
        ProcessContext context = withTwoSparesReady("ended-mid-orders");
        List<Integer> stopped = WarmSpares.of(context.settings()).readyPids();
        assertFalse(stopped.isEmpty());
        for (int spare : stopped) {
            Posix.kill(spare, Posix.SIGSTOP);
        }
        byte[] big = new byte[8 << 20]; // far more than a socket buffer
        ChildProcess child = context.newProcess(() -> System.exit(big.length == 8 << 20 ? 3 : 4));
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(500); // the start is blocked in sending to a stopped spare by now
            } catch (InterruptedException e) {
                return;
            }
            for (int spare : stopped) {
                Posix.kill(spare, Posix.SIGKILL);
            }
        });
        killer.start();
        try {
            child.start();
            child.join();
        } finally {
            killer.join();
        }
        assertEquals(OptionalInt.of(3), child.exitCode());
        assertFalse(stopped.contains((int) child.pid().orElseThrow()));
    }

    /** A parent with warm spares ready, which reports its pid and waits to be killed. */
    public static final class WarmParent {
        public static void main(String[] args) throws Exception {
            ProcessContext context = Multiprocessing.getContext("warm").toBuilder().warmSpares(2).build().warmUp();
            context.awaitWarmSpares(Duration.ofSeconds(60));
            Reports.put(args[0], "ready", WarmSpares.of(context.settings()).readyCount());
            Thread.sleep(120_000);
        }
    }

    @Test
    void unusedSparesExitWhenTheirParentIsKilled(@TempDir Path directory) throws Exception {
        Path report = directory.resolve("report");
        try (SeparateJvm parent = SeparateJvm.start(directory, WarmParent.class, report.toString())) {
            assertNotNull(Reports.await(report, "ready", Duration.ofSeconds(60)), parent.stderr());
            assertEquals("2", Reports.read(report).get("ready"));
            List<Long> spares = runningChildren(parent.pid());
            assertEquals(2, spares.size(), "the driver's children: " + spares);
            List<Long> holders = runningChildren(parent.pid(), true);
            assertEquals(2, holders.size(), "the spares' memory holders: " + holders);
            assertEquals(0, Posix.kill(parent.pid(), Posix.SIGKILL));
            for (long spare : spares) {
                assertTrue(ProcessTable.awaitGone(spare, Duration.ofSeconds(1)),
                        "spare " + spare + " outlived its parent by a second");
            }
            for (long holder : holders) {
                assertTrue(ProcessTable.awaitGone(holder, Duration.ofSeconds(1)),
                        "a spare's memory holder " + holder + " outlived the parent by a second");
            }
        }
    }

    /**
     * A spare ignores its boot's parent-death signal (SIGRTMAX) once booted: a non-daemon child
     * made of it keeps it ignored, so as to outlive its parent; a daemon sets it back to the default.
     */
    @Test
    void onlyANonDaemonChildOfASpareKeepsItsBootSignalIgnored() throws Exception {
        ProcessContext context = Multiprocessing.getContext("warm").toBuilder()
                .jvmOptions("-Dmp4j.test.context=boot-signal").build().warmUp();
        for (boolean daemon : new boolean[] {false, true}) {
            assertTrue(context.awaitWarmSpares(Duration.ofSeconds(60)));
            ChildProcess child = context.newProcess(() -> Thread.sleep(60_000));
            child.setDaemon(daemon);
            child.start();
            try {
                assertEquals(daemon ? 2 : 1, WarmSpares.of(context.settings()).handOffCount(), "started on a spare");
                long ignored = Long.parseUnsignedLong(Files.readAllLines(Path.of("/proc/" + child.pid().orElseThrow()
                        + "/status")).stream().filter(line -> line.startsWith("SigIgn:")).findFirst().orElseThrow()
                        .substring("SigIgn:".length()).trim(), 16);
                boolean rtmaxIgnored = (ignored & (1L << (64 - 1))) != 0;
                assertEquals(!daemon, rtmaxIgnored, (daemon ? "daemon" : "non-daemon") + " child, SigIgn "
                        + Long.toHexString(ignored));
            } finally {
                child.kill();
                child.join();
                child.close();
            }
        }
    }

    /** A parent whose spares cannot finish their boot (their -XX:Flags file is a FIFO nobody writes); it waits to be killed. */
    public static final class ParentOfBootingSpares {
        public static void main(String[] args) throws Exception {
            Multiprocessing.getContext("warm").toBuilder().jvmOptions("-XX:Flags=" + args[1]).warmSpares(2).build()
                    .warmUp();
            Reports.put(args[0], "booting", true);
            Thread.sleep(120_000);
        }
    }

    /**
     * No code of a spare runs while its JVM boots, and a niced boot on a busy machine can take
     * many seconds: its parent's death must end it all the same.
     */
    @Test
    void sparesStillBootingExitWhenTheirParentIsKilled(@TempDir Path directory) throws Exception {
        Path flags = directory.resolve("flags");
        assertEquals(0, new ProcessBuilder("mkfifo", flags.toString()).inheritIO().start().waitFor());
        Path report = directory.resolve("report");
        List<Long> spares = List.of();
        try (SeparateJvm parent = SeparateJvm.start(directory, ParentOfBootingSpares.class, report.toString(),
                flags.toString())) {
            assertNotNull(Reports.await(report, "booting", Duration.ofSeconds(60)), parent.stderr());
            assertTrue(Eventually.within(Duration.ofSeconds(30), () -> runningChildren(parent.pid()).size() == 2),
                    "the parent's children: " + runningChildren(parent.pid()));
            spares = runningChildren(parent.pid());
            assertEquals(0, Posix.kill(parent.pid(), Posix.SIGKILL));
            for (long spare : spares) {
                assertTrue(ProcessTable.awaitGone(spare, Duration.ofSeconds(1)),
                        "spare " + spare + ", still booting, outlived its parent by a second");
            }
        } finally {
            // Whatever still waits for the FIFO reads its end now, boots, and finds its parent gone.
            try (FileChannel release = FileChannel.open(flags, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                assertTrue(release.isOpen());
            }
            for (long spare : spares) {
                if (!ProcessTable.awaitGone(spare, Duration.ofSeconds(30))) {
                    Posix.kill(spare, Posix.SIGKILL);
                }
            }
        }
    }
}
