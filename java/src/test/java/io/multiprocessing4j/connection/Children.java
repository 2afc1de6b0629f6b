package io.multiprocessing4j.connection;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts child processes for a test and makes sure none outlives it, whatever the outcome. */
final class Children implements AutoCloseable {
    private final List<ChildProcess> started = new ArrayList<>();

    ChildProcess start(ProcessTarget target) {
        ChildProcess child = new ChildProcess(target);
        child.setDaemon(true);
        child.start();
        started.add(child);
        return child;
    }

    /** Joins {@code child}, failing if it has not ended within {@code timeout}; returns its exit code. */
    static int join(ChildProcess child, Duration timeout) throws InterruptedException {
        if (!child.join(timeout)) {
            throw new AssertionError(child + " did not end within " + timeout);
        }
        return child.exitCode().getAsInt();
    }

    @Override
    public void close() throws InterruptedException {
        for (ChildProcess child : started) {
            if (child.isAlive()) {
                child.kill();
            }
            child.join(Duration.ofSeconds(30));
            child.close();
        }
    }
}
