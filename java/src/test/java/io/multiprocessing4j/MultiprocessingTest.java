package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.support.Cgroup;
import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.Reports;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** currentProcess, parentProcess, activeChildren, cpuCount, contexts. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class MultiprocessingTest {

    @Test
    void theMainProcessIsMainProcess() {
        CurrentProcess self = Multiprocessing.currentProcess();
        assertEquals("MainProcess", self.name());
        assertEquals(Posix.getpid(), self.pid(), "pid per jnr-posix");
        assertFalse(self.isDaemon());
        assertEquals(List.of(), self.identity());
        assertTrue(Multiprocessing.parentProcess().isEmpty());
    }

    @Test
    void aChildSeesItsParentAsTheOsDoes(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        ChildProcess child = new ChildProcess(() -> {
            ParentProcess parent = Multiprocessing.parentProcess().orElseThrow();
            Reports.put(report, "parentPid", parent.pid());
            Reports.put(report, "parentName", parent.name());
            Reports.put(report, "parentAlive", parent.isAlive());
            Reports.put(report, "getppid", Posix.getppid());
            Reports.put(report, "getpid", Posix.getpid());
            Reports.put(report, "pid", Multiprocessing.currentProcess().pid());
        });
        child.start();
        child.join();
        Map<String, String> seen = Reports.read(Path.of(report));
        String parentPid = String.valueOf(Posix.getpid());
        assertEquals(parentPid, seen.get("parentPid"));
        assertEquals(parentPid, seen.get("getppid"), "the child's getppid() per jnr-posix");
        assertEquals(String.valueOf(child.pid().orElseThrow()), seen.get("getpid"));
        assertEquals(seen.get("getpid"), seen.get("pid"));
        assertEquals("MainProcess", seen.get("parentName"));
        assertEquals("true", seen.get("parentAlive"));
    }

    /** A parent that starts a child waiting for it to end, then exits at once. */
    public static final class ShortLivedParent {
        public static void main(String[] args) throws Exception {
            String report = args[0];
            ChildProcess orphan = new ChildProcess(() -> {
                ParentProcess parent = Multiprocessing.parentProcess().orElseThrow();
                boolean early = parent.join(Duration.ofMillis(100));
                parent.join();
                Reports.put(report, "joinedEarly", early);
                Reports.put(report, "aliveAfterJoin", parent.isAlive());
            });
            orphan.start();
            Reports.put(report, "orphanPid", orphan.pid().orElseThrow());
            Runtime.getRuntime().halt(0); // no exit hook: the child is not joined
        }
    }

    @Test
    void aChildCanWaitForItsParentToEnd(@TempDir Path directory) throws Exception {
        Path report = directory.resolve("report");
        try (SeparateJvm parent = SeparateJvm.start(directory, ShortLivedParent.class, report.toString())) {
            assertEquals(0, parent.awaitExit(60), parent.stderr());
            assertNotNull(Reports.await(report, "aliveAfterJoin", Duration.ofSeconds(30)), "the child never saw its parent end");
            Map<String, String> seen = Reports.read(report);
            assertEquals("false", seen.get("joinedEarly"));
            assertEquals("false", seen.get("aliveAfterJoin"));
        } finally {
            String orphan = Reports.read(report).get("orphanPid");
            if (orphan != null) {
                Posix.kill(Long.parseLong(orphan), Posix.SIGKILL);
            }
        }
    }

    @Test
    void activeChildrenListsOnlyRunningChildren() throws Exception {
        ChildProcess sleeper = new ChildProcess(() -> Thread.sleep(60_000));
        ChildProcess quick = new ChildProcess(() -> { });
        sleeper.start();
        quick.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Multiprocessing.activeChildren().contains(quick) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<ChildProcess> active = Multiprocessing.activeChildren();
        assertTrue(active.contains(sleeper));
        assertFalse(active.contains(quick), "a finished child is collected without join");
        assertEquals(0, quick.exitCode().orElseThrow());
        sleeper.kill();
        sleeper.join();
        assertFalse(Multiprocessing.activeChildren().contains(sleeper));
    }

    /** nproc (coreutils) counts the affinity mask; a cgroup quota may only lower ours further. */
    @Test
    void cpuCountIsTheAffinityOfThisProcessCappedByItsCgroup() throws Exception {
        Process nproc = new ProcessBuilder("nproc").start();
        int affinity = Integer.parseInt(new String(nproc.getInputStream().readAllBytes()).strip());
        assertTrue(nproc.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        int count = Multiprocessing.cpuCount();
        assertTrue(count >= 1 && count <= affinity, count + " vs nproc " + affinity);
        Path cpuMax = Path.of("/sys/fs/cgroup/cpu.max");
        Path cfsQuota = Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
        boolean unlimited = (!Files.exists(cpuMax) || Files.readString(cpuMax).startsWith("max"))
                && (!Files.exists(cfsQuota) || Files.readString(cfsQuota).strip().equals("-1"));
        if (unlimited) {
            assertEquals(affinity, count);
        }
    }

    /** Prints cpuCount(); run under taskset to check that the affinity mask is honoured. */
    public static final class PrintCpuCount {
        public static void main(String[] args) {
            System.out.println("cpuCount=" + Multiprocessing.cpuCount());
        }
    }

    @Test
    void cpuCountHonoursTheAffinityMask(@TempDir Path directory) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "taskset is not installed");
        try (SeparateJvm pinned = SeparateJvm.start(directory, List.of("/usr/bin/taskset", "-c", "0"), List.of(),
                PrintCpuCount.class)) {
            assertEquals(0, pinned.awaitExit(60), pinned.stderr());
            assertEquals("cpuCount=1", pinned.stdout().strip());
        }
    }

    /**
     * A CPU quota on the JVM's own cgroup (a container's) or one level up (its pod's, its slice's)
     * caps cpuCount(), as it caps what the JVM's container support reports.
     */
    @Test
    void cpuCountHonoursACpuQuotaOfItsCgroupOrOfAnAncestor(@TempDir Path directory) throws Exception {
        Process nproc = new ProcessBuilder("nproc").start();
        int affinity = Integer.parseInt(new String(nproc.getInputStream().readAllBytes()).strip());
        assumeTrue(affinity >= 2, "one CPU: a quota of half a CPU could not lower the count");
        for (boolean nested : new boolean[] {false, true}) {
            try (Cgroup container = Cgroup.withCpuQuota(0.5)) {
                if (nested) {
                    container.nested();
                }
                Path output = Files.createDirectories(directory.resolve(nested ? "nested" : "own"));
                try (SeparateJvm jvm = SeparateJvm.start(output, container.wrapper(), List.of(), PrintCpuCount.class)) {
                    assertEquals(0, jvm.awaitExit(120), jvm.stderr());
                    assertEquals("cpuCount=1", jvm.stdout().strip(),
                            nested ? "a quota one level up" : "a quota on its own group");
                }
            }
        }
    }

    @Test
    void contextsAreNamedAsInPython() {
        assertEquals(List.of("spawn", "warm"), Multiprocessing.getAllStartMethods());
        assertEquals(StartMethod.SPAWN, Multiprocessing.getContext("spawn").startMethod());
        assertEquals(StartMethod.WARM, Multiprocessing.getContext("warm").startMethod());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Multiprocessing.getContext("fork"));
        assertEquals("cannot find context for 'fork'", e.getMessage());
    }

    @Test
    void aContextsJvmOptionsReachTheChild(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        ProcessContext context = ProcessContext.defaultContext().toBuilder()
                .jvmOptions("-Dmp4j.test.marker=present", "-Xmx64m").build();
        ChildProcess child = context.newProcess(() -> {
            Reports.put(report, "marker", System.getProperty("mp4j.test.marker"));
            Reports.put(report, "maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
            Reports.put(report, "inherited", Multiprocessing.getContext().jvmOptions());
        });
        child.start();
        child.join();
        Map<String, String> seen = Reports.read(Path.of(report));
        assertEquals("present", seen.get("marker"));
        assertTrue(Long.parseLong(seen.get("maxHeapMiB")) <= 64, seen.get("maxHeapMiB"));
        assertEquals("[-Dmp4j.test.marker=present, -Xmx64m]", seen.get("inherited"),
                "children take their parent's context as their default");
    }
}
