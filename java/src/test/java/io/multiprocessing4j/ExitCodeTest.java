package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Python's exit-code table, each row from a real child. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class ExitCodeTest {

    static int exitCodeOf(ProcessTarget target) throws InterruptedException {
        ChildProcess child = new ChildProcess(target);
        child.start();
        assertTrue(child.join(Duration.ofSeconds(60)), "child did not end");
        return child.exitCode().orElseThrow();
    }

    static void sleepLong() throws InterruptedException {
        Thread.sleep(60_000);
    }

    @Test
    void normalReturnIsZero() throws Exception {
        assertEquals(0, exitCodeOf(() -> { }));
    }

    @Test
    void systemExitGivesItsStatus() throws Exception {
        assertEquals(7, exitCodeOf(() -> System.exit(7)));
        assertEquals(0, exitCodeOf(() -> System.exit(0)));
    }

    @Test
    void systemExitAbove255IsTruncatedByTheOs() throws Exception {
        assertEquals(44, exitCodeOf(() -> System.exit(300)));
    }

    @Test
    void uncaughtExceptionIsOne() throws Exception {
        assertEquals(1, exitCodeOf(() -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals(1, exitCodeOf(() -> {
            throw new java.io.IOException("checked exceptions too");
        }));
    }

    @Test
    void terminateGivesMinus15() throws Exception {
        ChildProcess child = new ChildProcess(ExitCodeTest::sleepLong);
        child.start();
        child.terminate();
        child.join();
        assertEquals(OptionalInt.of(-15), child.exitCode());
    }

    @Test
    void killGivesMinus9() throws Exception {
        ChildProcess child = new ChildProcess(ExitCodeTest::sleepLong);
        child.start();
        child.kill();
        child.join();
        assertEquals(OptionalInt.of(-9), child.exitCode());
    }

    /**
     * Under -Xrs HotSpot opens its attach socket /tmp/.java_pid<pid> at boot (it cannot wait for a
     * SIGQUIT to do so) and only removes it at an orderly exit, so a child killed by a signal would
     * leave it behind. Our children keep the default signal handling and restore the defaults
     * natively instead: this fails if a child is ever started with -Xrs again.
     */
    @Test
    void aChildEndedBySignalLeavesNoAttachFileBehind() throws Exception {
        for (boolean terminate : new boolean[] {true, false}) {
            ChildProcess child = new ChildProcess(ExitCodeTest::sleepLong);
            child.start();
            long pid = child.pid().orElseThrow();
            if (terminate) {
                child.terminate();
            } else {
                child.kill();
            }
            child.join();
            java.nio.file.Path attachFile = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), ".java_pid" + pid);
            assertTrue(!java.nio.file.Files.exists(attachFile), attachFile + " left behind");
        }
    }

    @Test
    void signalsSentFromOutsideGiveMinusTheirNumber() throws Exception {
        for (int signal : new int[] {Posix.SIGUSR1, Posix.SIGTERM, Posix.SIGHUP}) {
            ChildProcess child = new ChildProcess(ExitCodeTest::sleepLong);
            child.start();
            assertEquals(0, Posix.kill(child.pid().orElseThrow(), signal));
            child.join();
            assertEquals(OptionalInt.of(-signal), child.exitCode(), "signal " + signal);
        }
    }

    @Test
    void terminatingAnEndedProcessChangesNothing() throws Exception {
        ChildProcess child = new ChildProcess(() -> System.exit(3));
        child.start();
        child.join();
        child.terminate();
        child.kill();
        assertEquals(OptionalInt.of(3), child.exitCode());
    }

    /** The child's last words go to the stderr it inherited: run the parent as its own JVM to read them. */
    @Test
    void uncaughtExceptionPrintsItsStackTraceOnTheChildsStderr(@TempDir Path directory) throws Exception {
        try (SeparateJvm parent = SeparateJvm.start(directory, ThrowingChildParent.class)) {
            assertEquals(0, parent.awaitExit(60), parent.stderr());
            String stderr = parent.stderr();
            assertTrue(stderr.contains("Process ChildProcess-1:"), stderr);
            assertTrue(stderr.contains("java.lang.IllegalArgumentException: thrown in the child"), stderr);
            assertTrue(stderr.contains("at io.multiprocessing4j.ExitCodeTest$ThrowingChildParent.fail"), stderr);
            assertTrue(parent.stdout().contains("exit code 1"), parent.stdout());
        }
    }

    /** The parent JVM of the test above. */
    public static final class ThrowingChildParent {
        public static void main(String[] args) throws Exception {
            ChildProcess child = new ChildProcess(ThrowingChildParent::fail);
            child.start();
            child.join();
            System.out.println("exit code " + child.exitCode().orElseThrow());
        }

        static void fail() {
            throw new IllegalArgumentException("thrown in the child");
        }
    }

    /**
     * A JVM started by a program that ignored SIGCHLD (a daemon's wrapper script, a supervisor)
     * inherits it, and the kernel then reaps children at once, keeping no status: every exit code
     * came back as {@code EXIT_CODE_UNKNOWN}. The library sets SIGCHLD back to its default before
     * its first child.
     */
    @Test
    void exitCodesSurviveASigchldIgnoredByWhatStartedTheJvm(@TempDir Path directory) throws Exception {
        List<String> ignoringSigchld = List.of("bash", "-c", "trap '' CHLD; exec \"$@\"", "bash");
        try (SeparateJvm parent = SeparateJvm.start(directory, ignoringSigchld, List.of(), ExitCodesParent.class)) {
            assertEquals(0, parent.awaitExit(90), parent.stdout() + parent.stderr());
            assertEquals("true", parent.fact("IGNORED_AT_START"), "the condition under test: " + parent.stdout());
            assertEquals("3", parent.fact("EXIT"), parent.stdout());
            assertEquals("-15", parent.fact("TERMINATED"), parent.stdout());
            assertEquals("false", parent.fact("IGNORED_AFTER"), parent.stdout());
        }
    }

    /** The parent JVM of the test above: reports whether SIGCHLD was ignored, and its children's exit codes. */
    public static final class ExitCodesParent {
        public static void main(String[] args) throws Exception {
            SeparateJvm.report("IGNORED_AT_START", sigchldIgnored());
            ChildProcess exiting = new ChildProcess(() -> System.exit(3));
            exiting.start();
            exiting.join(Duration.ofSeconds(60));
            SeparateJvm.report("EXIT", exiting.exitCode().orElse(-999));
            ChildProcess sleeping = new ChildProcess(ExitCodeTest::sleepLong);
            sleeping.start();
            sleeping.terminate();
            sleeping.join(Duration.ofSeconds(60));
            SeparateJvm.report("TERMINATED", sleeping.exitCode().orElse(-999));
            SeparateJvm.report("IGNORED_AFTER", sigchldIgnored());
        }

        /** Whether SIGCHLD (17) is in this process's ignored set, as the kernel shows it. */
        static boolean sigchldIgnored() throws java.io.IOException {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 16)) != 0;
                }
            }
            throw new IllegalStateException("no SigIgn line");
        }
    }
}
