package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that is PID 1 of a PID namespace (a container whose entry point is {@code java}), or a
 * child subreaper, inherits every orphan below it: it must reap them, or they stay zombies for
 * ever, and it must not take the exit status of its own children or of ProcessBuilder children
 * while doing so. The PID 1 cases run the parent under {@code unshare --pid --fork --mount-proc}
 * (root only; skipped with a message otherwise).
 */
@InFaultSuite
@ProcessSemantics
class OrphanZombieTest {
    private static final int ORPHANS = 60;

    /**
     * Makes {@value #ORPHANS} orphans (each a {@code sleep} whose shell exited at once), while its
     * own children and ProcessBuilder children end with exit code 7; reports the exit codes seen
     * and how many zombie children it still has after a bounded wait.
     */
    public static final class OrphanMaker {
        public static void main(String[] args) throws Exception {
            String mode = args[0];
            if (mode.equals("subreaper")) {
                Multiprocessing.becomeChildSubreaper();
            }
            long self = ProcessHandle.current().pid();
            System.out.println("PID " + self);
            ChildProcess first = new ChildProcess(() -> System.exit(7), "first");
            first.start();

            List<Process> lateBuilders = new ArrayList<>();
            List<Integer> shellCodes = new ArrayList<>();
            for (int i = 0; i < ORPHANS; i++) {
                Process shell = new ProcessBuilder("sh", "-c", "sleep 0.1 &").start();
                if (i % 10 == 0) {
                    // Collected seconds later: its status must still be the JDK's to give.
                    lateBuilders.add(new ProcessBuilder("sh", "-c", "exit 7").start());
                }
                shell.waitFor(30, TimeUnit.SECONDS);
                shellCodes.add(shell.exitValue());
            }
            // While those orphans wait out their grace as zombies, ProcessBuilder children that
            // end at once, from several threads: each status must reach its Process.
            List<Integer> racingCodes = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> racers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread racer = new Thread(() -> {
                    for (int i = 0; i < 20; i++) {
                        try {
                            Process quick = new ProcessBuilder("sh", "-c", "exit 7").start();
                            quick.waitFor(30, TimeUnit.SECONDS);
                            racingCodes.add(quick.exitValue());
                        } catch (Exception e) {
                            racingCodes.add(-1000);
                        }
                    }
                });
                racer.start();
                racers.add(racer);
            }
            for (Thread racer : racers) {
                racer.join(60_000);
            }
            System.out.println("RACING_CODES " + racingCodes.size() + " " + racingCodes.stream().distinct().toList());
            ChildProcess during = new ChildProcess(() -> System.exit(7), "during");
            during.start();
            during.join(Duration.ofSeconds(60));
            first.join(Duration.ofSeconds(60));
            System.out.println("CHILD_CODES " + first.exitCode().orElse(-999) + "," + during.exitCode().orElse(-999));
            System.out.println("SHELL_CODES " + shellCodes.stream().distinct().toList());

            boolean reaping = !mode.equals("off");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(reaping ? 15 : 3);
            List<Long> zombies = orphanZombies(self);
            while (System.nanoTime() < deadline && (reaping ? !zombies.isEmpty() : zombies.size() < ORPHANS)) {
                Thread.sleep(100);
                zombies = orphanZombies(self);
            }
            System.out.println("ZOMBIES " + zombies.size());
            List<Integer> lateCodes = new ArrayList<>();
            for (Process builder : lateBuilders) {
                builder.waitFor(30, TimeUnit.SECONDS);
                lateCodes.add(builder.exitValue());
            }
            System.out.println("LATE_BUILDER_CODES " + lateCodes.stream().distinct().toList());
        }
    }

    /**
     * The zombie children that are the orphans made here (the sleeps): not a process of ours or a
     * ProcessBuilder child that happens to be between its exit and its reaping at the moment of
     * the count (a warm spare's, say), which would make the control count one too many.
     */
    static List<Long> orphanZombies(long self) {
        List<Long> orphans = new ArrayList<>();
        for (long pid : ProcessTable.zombieChildren(self)) {
            try {
                if (java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim().equals("sleep")) {
                    orphans.add(pid);
                }
            } catch (java.io.IOException reaped) {
                // gone meanwhile
            }
        }
        return orphans;
    }

    private static void assumeUnshareWorks() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(root, "PID namespaces need root: not run");
        Process probe = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true")
                .redirectErrorStream(true).start();
        boolean done = probe.waitFor(30, TimeUnit.SECONDS);
        if (!done) {
            probe.destroyForcibly();
        }
        assumeTrue(done && probe.exitValue() == 0, "unshare --pid --fork --mount-proc is not available: not run");
    }

    private static SeparateJvm runAsPid1(Path directory, String mode, List<String> options) throws Exception {
        return SeparateJvm.start(directory, List.of("unshare", "--pid", "--fork", "--mount-proc"), options,
                OrphanMaker.class, mode);
    }

    private static void assertExactCodes(SeparateJvm parent) {
        assertEquals("7,7", parent.fact("CHILD_CODES"), "our children's exit codes; stderr:\n" + parent.stderr());
        assertEquals("[0]", parent.fact("SHELL_CODES"), "ProcessBuilder shells' exit codes");
        assertEquals("[7]", parent.fact("LATE_BUILDER_CODES"), "late-collected ProcessBuilder exit codes");
        assertEquals("80 [7]", parent.fact("RACING_CODES"), "ProcessBuilder children ending at once, 4 threads");
    }

    @Test
    @Timeout(180)
    void asPid1OrphansAreReapedAndNoExitStatusIsStolen(@TempDir Path directory) throws Exception {
        assumeUnshareWorks();
        try (SeparateJvm parent = runAsPid1(directory, "auto", List.of())) {
            assertEquals(0, parent.awaitExit(150), parent.stderr());
            assertEquals("1", parent.fact("PID"), parent.stdout());
            assertEquals("0", parent.fact("ZOMBIES"), "orphans left as zombies of PID 1; stdout:\n" + parent.stdout());
            assertExactCodes(parent);
        }
    }

    /** The control: with reaping switched off the same run leaves the zombies, so the test above can fail. */
    @Test
    @Timeout(180)
    void asPid1WithReapingOffOrphansStayZombies(@TempDir Path directory) throws Exception {
        assumeUnshareWorks();
        try (SeparateJvm parent = runAsPid1(directory, "off",
                List.of("-D" + Multiprocessing.REAP_ORPHANS_PROPERTY + "=false"))) {
            assertEquals(0, parent.awaitExit(150), parent.stderr());
            assertEquals(String.valueOf(ORPHANS), parent.fact("ZOMBIES"), parent.stdout());
            assertExactCodes(parent);
        }
    }

    @Test
    @Timeout(180)
    void aChildSubreaperReapsTheOrphansBelowIt(@TempDir Path directory) throws Exception {
        try (SeparateJvm parent = SeparateJvm.start(directory, OrphanMaker.class, "subreaper")) {
            assertEquals(0, parent.awaitExit(150), parent.stderr());
            assertEquals("0", parent.fact("ZOMBIES"), "orphans left as zombies of the subreaper; stdout:\n"
                    + parent.stdout());
            assertExactCodes(parent);
        }
    }
}
