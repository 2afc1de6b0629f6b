package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.OperatingSystemMXBean;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.Cgroup;
import io.multiprocessing4j.support.SeparateJvm;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Warm spares give way to memory: the default ceiling follows the memory limit (a container's
 * cgroup, or the machine's RAM), and spares beyond the floor are not booted where the memory left
 * has no room for them. The containers here are real memory cgroups; the JVM's own container
 * support, which reads the same limit its own way, is the oracle for it.
 */
@InFaultSuite
class SpareMemoryTest {
    private static final long MIB = 1 << 20;

    @Test
    void theDefaultCeilingIsWhatAQuarterOfTheLimitHoldsBetweenOneAndSixteen() {
        assertEquals(1, SpareMemory.ceilingFor(0));
        assertEquals(1, SpareMemory.ceilingFor(200 * MIB));
        assertEquals(2, SpareMemory.ceilingFor(512 * MIB));
        assertEquals(4, SpareMemory.ceilingFor(1024 * MIB));
        assertEquals(16, SpareMemory.ceilingFor(4096 * MIB));
        assertEquals(16, SpareMemory.ceilingFor(Long.MAX_VALUE));
    }

    @Test
    void aSpareBeyondTheFloorNeedsRoomForTwoCountingThoseStillBooting() {
        assertTrue(SpareMemory.roomForAnother(128 * MIB, 0));
        assertFalse(SpareMemory.roomForAnother(127 * MIB, 0));
        assertTrue(SpareMemory.roomForAnother(256 * MIB, 2));
        assertFalse(SpareMemory.roomForAnother(255 * MIB, 2));
    }

    @Test
    void hereTheLimitIsWhatTheJvmSeesAndTheDefaultCeilingFollowsIt() {
        long jvmTotal = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize();
        assertEquals(jvmTotal, MemoryLimits.limit(), "the JVM's container-aware total memory");
        long available = MemoryLimits.available();
        assertTrue(available > 0 && available <= jvmTotal, available + " of " + jvmTotal);
        assertEquals(SpareMemory.ceilingFor(jvmTotal), ProcessContext.builder().build().maxWarmSpares());
    }

    /** Reports what a JVM in a container sees: its limit, the JVM's, and the default ceiling. */
    public static final class ReportLimits {
        public static void main(String[] args) {
            SeparateJvm.report("LIMIT", MemoryLimits.limit());
            SeparateJvm.report("JVM_TOTAL",
                    ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize());
            SeparateJvm.report("CEILING", ProcessContext.builder().build().maxWarmSpares());
            SeparateJvm.ready();
        }
    }

    @Test
    void inAContainerOf512MibTheLimitIsTheContainersAndTheDefaultCeilingIsTwo() throws Exception {
        try (Cgroup container = Cgroup.withMemoryLimit(512 * MIB);
             SeparateJvm jvm = SeparateJvm.start(container.wrapper(), List.of("-Xmx64m"), ReportLimits.class)) {
            assertTrue(jvm.awaitReady(), jvm.stderr());
            assertEquals(512 * MIB, Long.parseLong(jvm.fact("LIMIT")));
            assertEquals(512 * MIB, Long.parseLong(jvm.fact("JVM_TOTAL")), "the JVM reads the same limit");
            assertEquals(2, Integer.parseInt(jvm.fact("CEILING")));
        }
    }

    /**
     * Asks a warm context with a floor of 1 and a ceiling of 3 for 3 spares (small JVMs, not
     * inheriting this one's heap); reports how many boot.
     */
    public static final class AskForThreeSpares {
        public static void main(String[] args) throws Exception {
            LaunchSettings settings = new LaunchSettings("warm", List.of("-Xmx32m"), false, null, null,
                    Duration.ofSeconds(60), 1, 3, Duration.ofMinutes(5));
            WarmSpares spares = WarmSpares.of(settings);
            spares.expect(3);
            SeparateJvm.report("SETTLED", spares.awaitSettled(Duration.ofSeconds(60)));
            SeparateJvm.report("READY", spares.readyCount());
            SeparateJvm.report("AVAILABLE_MIB", MemoryLimits.available() / MIB);
            SeparateJvm.report("BOOT_FAILURE", String.valueOf(spares.lastBootFailure()).replace('\n', ' '));
            SeparateJvm.ready();
        }
    }

    /** This JVM takes its whole heap at once, so that what it leaves of a container is known. */
    private static final List<String> HEAP_OF_128_MIB_TAKEN = List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch");

    @Test
    void sparesBeyondTheFloorAreNotBootedWhereTheMemoryLeftHasNoRoomForThem() throws Exception {
        // 128 MiB of heap plus 140: once the rest of this JVM and its floor spare take 12 MiB of
        // the container, less than two spares' room (128 MiB) is left; with 95 MiB taken, no OOM kill.
        try (Cgroup container = Cgroup.withMemoryLimit((128 + 140) * MIB);
             SeparateJvm jvm = SeparateJvm.start(container.wrapper(), HEAP_OF_128_MIB_TAKEN, AskForThreeSpares.class)) {
            assertTrue(jvm.awaitReady(), jvm.stderr());
            assertEquals("true", jvm.fact("SETTLED"), "held back by memory counts as settled");
            assertEquals(1, Integer.parseInt(jvm.fact("READY")), "the floor only; memory left: "
                    + jvm.fact("AVAILABLE_MIB") + " MiB; a failed boot: " + jvm.fact("BOOT_FAILURE"));
        }
        // The same request where memory is plenty boots all three, so the container made the difference.
        try (SeparateJvm jvm = SeparateJvm.start(List.of(), HEAP_OF_128_MIB_TAKEN, AskForThreeSpares.class)) {
            assertTrue(jvm.awaitReady(), jvm.stderr());
            assertEquals("true", jvm.fact("SETTLED"));
            assertEquals(3, Integer.parseInt(jvm.fact("READY")), "a failed boot: " + jvm.fact("BOOT_FAILURE"));
        }
    }
}
