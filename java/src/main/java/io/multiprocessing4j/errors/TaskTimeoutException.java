package io.multiprocessing4j.errors;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A task ran longer than the pool's task timeout ({@link io.multiprocessing4j.pool.Pool.Builder#taskTimeout}). It is the
 * cause of that task's {@link java.util.concurrent.ExecutionException}; the worker that ran it was
 * killed and replaced. (Not to be confused with the {@link TimeoutException} that
 * {@link io.multiprocessing4j.pool.AsyncResult#get(Duration)} throws when the caller's own wait runs out.)
 */
public class TaskTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    private final transient Duration limit;
    private final long pid;

    /** A task that overran {@code limit} in the worker {@code pid}, which was killed for it. */
    public TaskTimeoutException(String message, Duration limit, long pid) {
        super(message);
        this.limit = limit;
        this.pid = pid;
    }

    /** The time the task was allowed. */
    public Duration limit() {
        return limit;
    }

    /** The pid of the worker that was killed. */
    public long pid() {
        return pid;
    }
}
