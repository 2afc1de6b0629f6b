package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.support.Cgroup;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.SeparateJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Warm spares give way to a limit on tasks (a cgroup's {@code pids.max}, as {@code docker run
 * --pids-limit} sets): the default ceiling follows the limit, and spares beyond the floor are not
 * booted where the tasks left have no room for them, so that no spare dies in its boot and the
 * application keeps tasks for its own threads. The containers here are real pids cgroups.
 */
@InFaultSuite
@Timeout(240)
class SpareTasksTest {
    @Test
    void theDefaultCeilingIsWhatAQuarterOfTheLimitHoldsBetweenOneAndSixteen() {
        assertEquals(1, SpareTasks.ceilingFor(0));
        assertEquals(1, SpareTasks.ceilingFor(250));
        assertEquals(8, SpareTasks.ceilingFor(1024));
        assertEquals(16, SpareTasks.ceilingFor(2048));
        assertEquals(16, SpareTasks.ceilingFor(Long.MAX_VALUE));
    }

    @Test
    void aSpareBeyondTheFloorNeedsRoomForTwoCountingThoseStillBooting() {
        assertTrue(SpareTasks.roomForAnother(64, 0));
        assertFalse(SpareTasks.roomForAnother(63, 0));
        assertTrue(SpareTasks.roomForAnother(128, 2));
        assertFalse(SpareTasks.roomForAnother(127, 2));
        assertTrue(SpareTasks.roomForAnother(Long.MAX_VALUE, 16), "no limit");
    }

    /** Reports what a JVM in a container sees: its task limit, and the default ceiling. */
    public static final class ReportLimits {
        public static void main(String[] args) {
            SeparateJvm.report("LIMIT", TaskLimits.limit());
            SeparateJvm.report("AVAILABLE", TaskLimits.available());
            SeparateJvm.report("CEILING", ProcessContext.builder().build().maxWarmSpares());
            SeparateJvm.report("DESCRIBED", TaskLimits.describe());
            SeparateJvm.ready();
        }
    }

    @Test
    void inAContainerLimitedTo1024TasksTheDefaultCeilingIsEight() throws Exception {
        try (Cgroup container = Cgroup.withTaskLimit(1024);
             SeparateJvm jvm = SeparateJvm.start(container.wrapper(), List.of(), ReportLimits.class)) {
            assertTrue(jvm.awaitReady(), jvm.stderr());
            assertEquals(1024, Long.parseLong(jvm.fact("LIMIT")));
            long available = Long.parseLong(jvm.fact("AVAILABLE"));
            assertTrue(available > 900 && available < 1024, "a JVM's threads are counted: " + available);
            assertEquals(Math.min(8, SpareMemory.defaultCeiling()), Integer.parseInt(jvm.fact("CEILING")));
            // What a start that found no room for a thread says (root: no per-user limit applies).
            String described = jvm.fact("DESCRIBED");
            assertTrue(described.matches(".*the cgroup \\S+ allows 1024 tasks \\(pids.max\\), \\d+ taken: raise the limit.*")
                    && !described.contains("RLIMIT_NPROC"), described);
        }
    }

    @Test
    void inAContainerLimitedTo160TasksGrowthLeavesRoomAndNoSpareDies() throws Exception {
        // This JVM (some 26 tasks) and its floor spare leave room for two or three more spares, not for
        // the 16 asked: without the rule, boots fail at the limit (EAGAIN) and leave a handful of tasks.
        try (Cgroup container = Cgroup.withTaskLimit(160);
             SeparateJvm jvm = SeparateJvm.start(container.wrapper(), List.of("-Xmx64m"), AskForSixteenSpares.class)) {
            // A few seconds here; minutes under .ci/cgroup-v2-vm's emulated CPU.
            assertTrue(jvm.awaitReady(Duration.ofSeconds(150)), jvm.stdout() + jvm.stderr());
            String facts = jvm.stdout();
            assertEquals("true", jvm.fact("SETTLED"), facts);
            assertEquals("null", jvm.fact("BOOT_FAILURE"), "no spare died in its boot: " + facts);
            int ready = Integer.parseInt(jvm.fact("READY"));
            assertTrue(ready >= 2 && ready < 16, "grew beyond the floor, and stopped short of the limit: " + facts);
            long left = 160 - container.read("pids.current");
            assertTrue(left >= SpareTasks.TASKS_PER_SPARE, left + " tasks left to the application: " + facts);
            assertEquals("true", jvm.fact("THREAD_STARTED"), facts);
        }
    }

    /**
     * Asks a warm context with a floor of 1 and a configured ceiling of 16 for all 16 (small
     * JVMs), as a burst would; reports how many boot and whether a thread can still be started.
     */
    public static final class AskForSixteenSpares {
        public static void main(String[] args) throws Exception {
            LaunchSettings settings = new LaunchSettings("warm", List.of("-Xmx32m"), false, null, null,
                    Duration.ofSeconds(60), 1, 16, Duration.ofMinutes(5));
            WarmSpares spares = WarmSpares.of(settings);
            spares.expect(16);
            SeparateJvm.report("SETTLED", spares.awaitSettled(Duration.ofSeconds(120)));
            SeparateJvm.report("READY", spares.readyCount());
            SeparateJvm.report("AVAILABLE", TaskLimits.available());
            SeparateJvm.report("BOOT_FAILURE", String.valueOf(spares.lastBootFailure()).replace('\n', ' '));
            boolean started;
            try {
                Thread thread = new Thread(() -> { });
                thread.start();
                thread.join();
                started = true;
            } catch (OutOfMemoryError e) {
                started = false;
            }
            SeparateJvm.report("THREAD_STARTED", started);
            SeparateJvm.ready();
            Thread.sleep(60_000); // holds its spares while the test reads the group's count
        }
    }
}
