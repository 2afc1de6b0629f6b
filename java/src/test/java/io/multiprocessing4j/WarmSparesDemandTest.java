package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.process.WarmSpares;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.Reports;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The warm method's count of spares follows demand between its floor and ceiling, and pools use them. */
@ExtendWith(ReapChildren.class)
class WarmSparesDemandTest {

    private static ProcessContext warm(String tag, int floor, int ceiling, Duration idle) {
        return Multiprocessing.getContext("warm").toBuilder().jvmOptions("-Dmp4j.test.context=" + tag)
                .warmSpares(floor).maxWarmSpares(ceiling).spareIdleTimeout(idle).build();
    }

    /**
     * Starts children back to back (each joined), faster than spares boot, until the count aimed
     * at reaches the ceiling (a replacement that comes ready in time is taken, and slows the growth).
     */
    private static void startUntilAtCeiling(ProcessContext context) throws InterruptedException {
        WarmSpares spares = WarmSpares.of(context.settings());
        for (int i = 0; i < 20 && spares.aimedCount() < context.maxWarmSpares(); i++) {
            startInARow(context, 2);
        }
    }

    /** Starts {@code count} children back to back (each joined), faster than spares boot. */
    private static void startInARow(ProcessContext context, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            ChildProcess child = context.newProcess(() -> System.exit(4));
            child.start();
            child.join();
            assertEquals(OptionalInt.of(4), child.exitCode());
        }
    }

    @Test
    void theCountGrowsToTheCeilingWhenStartsOutrunItAndFallsBackToTheFloorWhenIdle() throws Exception {
        // An idle timeout longer than a boot under load, or the first of the new spares could retire
        // before the last is ready.
        ProcessContext context = warm("demand", 1, 3, Duration.ofSeconds(4)).warmUp();
        WarmSpares spares = WarmSpares.of(context.settings());
        assertTrue(spares.awaitSettled(Duration.ofSeconds(60)));
        assertEquals(1, spares.readyCount());

        startUntilAtCeiling(context);
        assertTrue(spares.missCount() >= 2, "starts in a row outran the spares");
        assertEquals(3, spares.aimedCount(), "grown to the ceiling");
        long grownBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (spares.readyCount() < 3 && System.nanoTime() < grownBy) {
            Thread.sleep(5);
        }
        List<Integer> grown = spares.readyPids();
        assertEquals(3, grown.size(), "spares at the ceiling: " + grown);

        // Unused for longer than the idle timeout: all but the floor's one retire, and exit.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        // Both counts: a spare leaves the ready ones a moment before the aim drops for it.
        while ((spares.readyCount() > 1 || spares.aimedCount() > 1) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, spares.readyCount(), "idle spares beyond the floor retire");
        assertEquals(1, spares.aimedCount());
        List<Integer> kept = spares.readyPids();
        for (int pid : grown) {
            if (!kept.contains(pid)) {
                assertTrue(ProcessTable.awaitGone(pid, Duration.ofSeconds(10)), "retired spare " + pid + " exited");
            }
        }
    }

    @Test
    void aWarmPoolsWorkersAreSparesBootedBeforeIt() throws Exception {
        ProcessContext context = warm("pool", 2, 4, Duration.ofSeconds(30)).warmUp();
        WarmSpares spares = WarmSpares.of(context.settings());
        assertTrue(spares.awaitSettled(Duration.ofSeconds(60)));
        List<Integer> before = spares.readyPids();
        assertEquals(2, before.size());
        long handOffs = spares.handOffCount();
        try (Pool pool = Pool.builder().processes(2).context(context).build()) {
            assertEquals(Integer.valueOf(7), pool.apply(() -> 7));
            List<Integer> workers = Multiprocessing.activeChildren().stream()
                    .map(child -> Math.toIntExact(child.pid().orElseThrow())).collect(Collectors.toList());
            assertEquals(2, workers.size(), "the pool's workers: " + workers);
            assertTrue(before.containsAll(workers), "workers " + workers + " are the spares " + before);
            assertEquals(handOffs + 2, spares.handOffCount());
            pool.shutdown();
            pool.join();
        }
    }

    /** A parent whose spares are at their ceiling, which reports their pids and waits to be killed. */
    public static final class ParentAtCeiling {
        public static void main(String[] args) throws Exception {
            ProcessContext context = warm("ceiling", 1, 3, Duration.ofMinutes(5)).warmUp();
            WarmSpares spares = WarmSpares.of(context.settings());
            spares.awaitSettled(Duration.ofSeconds(60));
            startUntilAtCeiling(context);
            spares.awaitSettled(Duration.ofSeconds(60));
            Reports.put(args[0], "aimed", spares.aimedCount());
            Reports.put(args[0], "spares", spares.readyPids().stream().map(String::valueOf)
                    .collect(Collectors.joining(",")));
            Thread.sleep(120_000);
        }
    }

    @Test
    void sparesAtTheCeilingExitWithinASecondOfTheirParentsSigkill(@TempDir Path directory) throws Exception {
        Path report = directory.resolve("report");
        try (SeparateJvm parent = SeparateJvm.start(directory, ParentAtCeiling.class, report.toString())) {
            assertNotNull(Reports.await(report, "spares", Duration.ofSeconds(90)), parent.stderr());
            assertEquals("3", Reports.read(report).get("aimed"));
            List<Long> spares = new ArrayList<>();
            for (String pid : Reports.read(report).get("spares").split(",")) {
                spares.add(Long.parseLong(pid));
            }
            assertEquals(3, spares.size(), "spares at the ceiling: " + spares);
            for (long spare : spares) {
                assertEquals(parent.pid(), ProcessTable.parentPid(spare));
            }
            assertEquals(0, Posix.kill(parent.pid(), Posix.SIGKILL));
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            for (long spare : spares) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                assertTrue(ProcessTable.awaitGone(spare, left),
                        "spare " + spare + " outlived its parent by a second");
            }
        }
    }
}
