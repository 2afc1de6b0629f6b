package io.multiprocessing4j.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.function.ProcessTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child processes of one test: started as daemons (so they die with the test JVM if it is
 * killed), joined with a bound, and killed, joined and closed at {@link #close()} whatever the
 * test's outcome.
 */
public final class Children implements AutoCloseable {
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(30);

    private final List<ChildProcess> started = new ArrayList<>();

    /** Starts a daemon child running {@code target}. */
    public ChildProcess start(ProcessTarget target) {
        ChildProcess child = new ChildProcess(target, null, true);
        child.start();
        started.add(child); // only once started: close() joins them
        return child;
    }

    /** Joins {@code child}, failing if it has not ended within {@code timeout}; returns its exit code. */
    public static int join(ChildProcess child, Duration timeout) throws InterruptedException {
        assertTrue(child.join(timeout), child + " did not end within " + timeout);
        return child.exitCode().getAsInt();
    }

    /** Waits at most {@code timeout} for {@code child} and asserts it exited with 0. */
    public static void assertExitsCleanly(ChildProcess child, Duration timeout) throws InterruptedException {
        assertEquals(0, join(child, timeout), child + " failed (its stack trace is on stderr)");
    }

    /** Waits at most {@code timeout} for every child started so far, asserting each exited with 0. */
    public void assertAllExitCleanly(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ChildProcess child : started) {
            assertExitsCleanly(child, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ChildProcess> open = new ArrayList<>();
        for (ChildProcess child : started) {
            if (!closedByTheTest(child)) {
                open.add(child);
                if (child.isAlive()) {
                    child.kill();
                }
            }
        }
        for (ChildProcess child : open) {
            if (child.join(CLOSE_BOUND)) {
                child.close();
            }
        }
    }

    private static boolean closedByTheTest(ChildProcess child) {
        try {
            child.isAlive();
            return false;
        } catch (IllegalStateException closed) {
            return true;
        }
    }
}
