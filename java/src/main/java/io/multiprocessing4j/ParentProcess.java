package io.multiprocessing4j;

import io.multiprocessing4j.internal.process.ParentHandle;
import io.multiprocessing4j.internal.time.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child's view of the process that started it (Python's {@code parent_process()}): its pid and
 * name, whether it is still alive, and a way to wait for its end. Backed by a pidfd opened while
 * the parent was certainly alive, so it never confuses the parent with a later process that
 * reused its pid.
 */
public final class ParentProcess {
    private final ParentHandle handle;
    private final String name;

    ParentProcess(ParentHandle handle, String name) {
        this.handle = handle;
        this.name = name;
    }

    /** The parent's process id, as it was when this process started. */
    public long pid() {
        return handle.pid();
    }

    /** The parent's name ({@code MainProcess} for a JVM started by hand), as it was when this process started. */
    public String name() {
        return name;
    }

    /** Whether the parent is still running; answered from its pidfd, without waiting. */
    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Waits until the parent process ends. */
    public void join() throws InterruptedException {
        try {
            handle.ended().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits at most {@code timeout} (a negative one counts as zero) for the parent to end; returns whether it has. */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            handle.ended().get(Durations.toNanos(timeout), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** An fd (a pidfd) that becomes readable when the parent ends. */
    public int sentinel() {
        return handle.sentinel();
    }

    @Override
    public String toString() {
        return "ParentProcess[name=" + name + ", pid=" + pid() + (isAlive() ? ", alive" : ", ended") + "]";
    }
}
