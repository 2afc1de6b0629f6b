package io.multiprocessing4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child processes of one test: started as daemons (so they die with the test JVM), joined with
 * a bound, and killed at {@link #close()} if a failing test left them running.
 */
public final class Children implements AutoCloseable {
    private final List<ChildProcess> started = new ArrayList<>();

    /** Starts a daemon child running {@code target}. */
    public ChildProcess start(ProcessTarget target) {
        ChildProcess child = new ChildProcess(target, null, true);
        started.add(child);
        child.start();
        return child;
    }

    /** Waits at most {@code timeout} for {@code child} and asserts it exited with 0. */
    public static void assertExitsCleanly(ChildProcess child, Duration timeout) throws InterruptedException {
        assertTrue(child.join(timeout), child + " did not end within " + timeout);
        assertEquals(0, child.exitCode().getAsInt(), child + " failed (its stack trace is on stderr)");
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
        for (ChildProcess child : started) {
            if (child.isAlive()) {
                child.kill();
            }
        }
        for (ChildProcess child : started) {
            child.join(Duration.ofSeconds(10));
        }
    }
}
