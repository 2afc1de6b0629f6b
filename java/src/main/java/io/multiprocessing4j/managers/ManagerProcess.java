package io.multiprocessing4j.managers;

import io.multiprocessing4j.ChildProcess;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The process that runs a {@link Manager}'s server (Python's {@code manager._process}): its pid,
 * whether it is alive, its exit code once it ended (0 after a clean {@link Manager#shutdown()},
 * -9 if it had to be killed, -N if a signal N ended it), and a {@link #join} to wait for it. Unlike
 * the {@link ChildProcess} behind it, it stays usable after the manager released the process's
 * resources at shutdown.
 */
public final class ManagerProcess {
    private final ChildProcess process;
    private final long pid;
    private final String name;
    /** The exit code, once known; guarded by this. */
    private OptionalInt exitCode = OptionalInt.empty();
    private boolean released;

    ManagerProcess(ChildProcess process) {
        this.process = process;
        this.pid = process.pid().orElseThrow();
        this.name = process.name();
    }

    /** The server process's pid. */
    public long pid() {
        return pid;
    }

    /** Its name, {@code Manager-N}. */
    public String name() {
        return name;
    }

    /** Whether the server process is running. */
    public synchronized boolean isAlive() {
        return !released && process.isAlive();
    }

    /** Its exit code once it has ended, empty while it runs (Python's {@code exitcode}). */
    public synchronized OptionalInt exitCode() {
        if (!released) {
            exitCode = process.exitCode();
        }
        return exitCode;
    }

    /** Waits until the server process ends. */
    public void join() throws InterruptedException {
        while (!join(Duration.ofSeconds(1))) {
            // bounded slices, so that a concurrent release at shutdown is seen
        }
    }

    /** Waits at most {@code timeout} for the server process to end; answers whether it has. */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        synchronized (this) {
            if (released) {
                return true;
            }
        }
        try {
            return process.join(timeout);
        } catch (IllegalStateException closedMeanwhile) {
            synchronized (this) {
                if (released) {
                    return true;
                }
            }
            throw closedMeanwhile;
        }
    }

    /** Remembers the exit code and frees the process's resources (it has ended). */
    synchronized void release() {
        if (!released && !process.isAlive()) {
            exitCode = process.exitCode();
            process.close();
            released = true;
        }
    }

    ChildProcess child() {
        return process;
    }

    @Override
    public synchronized String toString() {
        OptionalInt code = exitCode();
        return "ManagerProcess[" + name + ", pid " + pid + (code.isPresent() ? ", exitcode=" + code.getAsInt() : ", alive") + "]";
    }
}
