package io.multiprocessing4j.hazelcast;

import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolRunnable;
import io.multiprocessing4j.pool.ProcessPoolExecutorService;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterPool} seen as an {@link java.util.concurrent.ExecutorService}: tasks run on the
 * cluster's members; the futures are {@link ClusterResult}s. Tasks must be serializable (the
 * {@link PoolCallable}/{@link PoolRunnable} overloads make a lambda written in the call so); a task
 * that is not, or is submitted after shutdown, is refused with a {@link RejectedExecutionException}.
 * {@link #shutdown()} is the pool's {@code shutdown}, {@link #shutdownNow()} its {@code terminate}
 * (every unfinished future is cancelled; the list returned is empty, as the tasks were all handed
 * to the cluster).
 */
public final class ClusterExecutorService extends ProcessPoolExecutorService {
    private final ClusterPool pool;

    ClusterExecutorService(ClusterPool pool) {
        this.pool = pool;
    }

    /** The pool behind this view. */
    public ClusterPool pool() {
        return pool;
    }

    /** Runs {@code command} on a member; an exception it throws goes to the uncaught-exception handler of the pool's callback thread. */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        PoolCallable<Object> call = asCallable(command, null);
        try {
            pool.applyAsync(call, null, failure -> {
                Thread self = Thread.currentThread();
                self.getUncaughtExceptionHandler().uncaughtException(self, failure);
            });
        } catch (IllegalStateException | IllegalArgumentException refused) {
            throw new RejectedExecutionException(refused.getMessage(), refused);
        }
    }

    /** For a lambda: compiled as serializable because this overload is the most specific. */
    public void execute(PoolRunnable command) {
        execute((Runnable) command);
    }

    /** Runs {@code task} on a member. */
    @Override
    public <T> ClusterResult<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return submitCallable(task instanceof PoolCallable ? (PoolCallable<T>) task : asSerializable(task));
    }

    /** For a lambda: compiled as serializable because this overload is the most specific. */
    public <T> ClusterResult<T> submit(PoolCallable<T> task) {
        return submitCallable(Objects.requireNonNull(task, "task"));
    }

    /** Runs {@code task} on a member; the future's value is null. */
    @Override
    public ClusterResult<?> submit(Runnable task) {
        return submitCallable(asCallable(Objects.requireNonNull(task, "task"), null));
    }

    /** For a lambda: compiled as serializable because this overload is the most specific. */
    public ClusterResult<?> submit(PoolRunnable task) {
        return submit((Runnable) task);
    }

    /** Runs {@code task} on a member; the future's value is {@code result} (serializable too). */
    @Override
    public <T> ClusterResult<T> submit(Runnable task, T result) {
        return submitCallable(asCallable(Objects.requireNonNull(task, "task"), result));
    }

    private <T> ClusterResult<T> submitCallable(PoolCallable<T> task) {
        try {
            return pool.applyAsync(task);
        } catch (IllegalStateException | IllegalArgumentException refused) {
            throw new RejectedExecutionException(refused.getMessage(), refused);
        }
    }

    private static <T> PoolCallable<T> asSerializable(Callable<T> task) {
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException(task.getClass().getName() + " is not serializable (write a lambda"
                    + " where a PoolCallable is expected, e.g. on a ClusterExecutorService variable)");
        }
        return task::call;
    }

    private static <T> PoolCallable<T> asCallable(Runnable task, T result) {
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException(task.getClass().getName() + " is not serializable (write a lambda"
                    + " where a PoolRunnable is expected, e.g. on a ClusterExecutorService variable)");
        }
        return () -> {
            task.run();
            return result;
        };
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    /** Terminates the pool; every unfinished future is cancelled. Returns an empty list (every task had been handed to the cluster). */
    @Override
    public List<Runnable> shutdownNow() {
        pool.terminate();
        return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
        return !pool.isRunning();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(unit.toNanos(timeout));
    }

    @Override
    public String toString() {
        return "ClusterExecutorService[" + pool + "]";
    }
}
