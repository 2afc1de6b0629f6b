package io.multiprocessing4j.pool;

import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolRunnable;
import io.multiprocessing4j.internal.pool.CallKind;
import io.multiprocessing4j.internal.pool.PoolCore;
import io.multiprocessing4j.internal.pool.Submissions;
import io.multiprocessing4j.internal.time.Durations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Pool} seen as an {@link ExecutorService}: tasks run in the pool's worker processes,
 * and the returned futures are {@link AsyncResult}s, which also compose as
 * {@link java.util.concurrent.CompletableFuture}s.
 *
 * <pre>{@code
 * ExecutorService executor = pool.asExecutorService();
 * Future<Long> cube = executor.submit(() -> Cubes.cube(50));
 * List<Future<Long>> all = executor.invokeAll(List.of(() -> 1L, () -> 2L));
 * }</pre>
 *
 * <p>Tasks must be serializable. A lambda is compiled as serializable only where a serializable
 * interface is expected: the overloads here taking {@link PoolCallable} and {@link PoolRunnable}
 * do that for a lambda written in the call on a {@code PoolExecutorService} variable; for
 * {@link #invokeAll}, build a {@code List<PoolCallable<T>>}. A lambda written where a plain
 * {@code Callable} is expected (an {@code ExecutorService} variable, a {@code List<Callable<T>>})
 * cannot be serialized, and neither can any other object that is not {@link java.io.Serializable}.
 * A task that cannot be serialized, or is submitted after shutdown, is refused with a
 * {@link RejectedExecutionException} saying why (and how to write the lambda).
 *
 * <p>Mapping: {@link #shutdown()} is the pool's {@link Pool#shutdown() shutdown} (Python's
 * {@code close}); {@link #shutdownNow()} is {@link Pool#terminate()}: the workers are stopped, every
 * unfinished future is cancelled (none is left pending, unlike a ThreadPoolExecutor's), and the
 * callables and runnables that had not started are returned. Cancelling a running task with
 * interruption kills its worker (which the pool replaces): a process cannot be interrupted
 * otherwise. An exception from a task passed to {@link #execute} goes to the uncaught-exception
 * handler of the pool's callback thread, as a thread pool reports one.
 */
public final class PoolExecutorService extends ProcessPoolExecutorService {
    private final Pool pool;
    private final PoolCore core;

    PoolExecutorService(Pool pool, PoolCore core) {
        this.pool = pool;
        this.core = core;
    }

    /** The pool behind this view. */
    public Pool pool() {
        return pool;
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        submitTask(command, CallKind.RUN, PoolExecutorService::reportUncaught);
    }

    /** For a lambda: compiled as serializable because this overload is the most specific. */
    public void execute(PoolRunnable command) {
        execute((Runnable) command);
    }

    @Override
    public <T> AsyncResult<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return submitTask(task, CallKind.CALL, null);
    }

    /** For a lambda: compiled as serializable because this overload is the most specific. */
    public <T> AsyncResult<T> submit(PoolCallable<T> task) {
        return submit((Callable<T>) task);
    }

    @Override
    public AsyncResult<?> submit(Runnable task) {
        Objects.requireNonNull(task, "task");
        return submitTask(task, CallKind.RUN, null);
    }

    /** For a lambda: compiled as serializable because this overload is the most specific; the value is null. */
    public AsyncResult<?> submit(PoolRunnable task) {
        return submit((Runnable) task);
    }

    /** Runs {@code task}; the future's value is {@code result}, which must be serializable too. */
    @Override
    public <T> AsyncResult<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submitTask(returning(task, result), CallKind.CALL, null);
    }

    /** For a lambda (serializable, as above); the future's value is {@code result}, which must be serializable too. */
    public <T> AsyncResult<T> submit(PoolRunnable task, T result) {
        return submit((Runnable) task, result);
    }

    private static <T> PoolCallable<T> returning(Runnable task, T result) {
        return () -> {
            task.run();
            return result;
        };
    }

    private <T> AsyncResult<T> submitTask(Object task, CallKind kind, java.util.function.Consumer<Throwable> onError) {
        try {
            return new AsyncResult<>(Submissions.apply(core, pool, task, kind, null, null, onError));
        } catch (IllegalStateException | IllegalArgumentException refused) {
            throw new RejectedExecutionException(refused.getMessage(), refused);
        }
    }

    private static void reportUncaught(Throwable failure) {
        if (failure instanceof CancellationException) {
            return; // a terminated pool cancels what it did not finish: not a task's failure
        }
        Thread self = Thread.currentThread();
        self.getUncaughtExceptionHandler().uncaughtException(self, failure);
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    /**
     * Terminates the pool; returns the callables and runnables that had not started (their
     * futures are cancelled). Callables are returned as Runnables that call them, discarding the value.
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> notStarted = new ArrayList<>();
        for (Object task : core.terminateReturningUnstarted()) {
            if (task instanceof Runnable) {
                notStarted.add((Runnable) task);
            } else {
                Callable<?> callable = (Callable<?>) task;
                notStarted.add(() -> {
                    try {
                        callable.call();
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                });
            }
        }
        return notStarted;
    }

    @Override
    public boolean isShutdown() {
        return !core.isRunning();
    }

    @Override
    public boolean isTerminated() {
        return core.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return core.awaitTermination(Durations.toNanos(timeout, unit));
    }

    @Override
    public String toString() {
        return "PoolExecutorService[" + pool + "]";
    }
}
