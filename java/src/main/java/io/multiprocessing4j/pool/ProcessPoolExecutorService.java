package io.multiprocessing4j.pool;

import io.multiprocessing4j.internal.time.Durations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the {@link ExecutorService} views of the {@link ProcessPool}s have in common: the bulk calls
 * ({@code invokeAll}, {@code invokeAny}) over {@link #submit(Callable)}, whose futures are the
 * pool's {@link ProcessPool.Result}s. They wait on those results (not a thread each), and cancel
 * what is left when they give up, are interrupted or one task of {@code invokeAny} has succeeded.
 */
public abstract class ProcessPoolExecutorService implements ExecutorService {

    /** For the pools' own views. */
    protected ProcessPoolExecutorService() {
    }

    /**
     * Runs {@code task} in the pool; its future is the pool's result. {@link
     * java.util.concurrent.RejectedExecutionException} for a task the pool cannot take (not
     * serializable, or submitted after shutdown).
     */
    @Override
    public abstract <T> ProcessPool.Result<T> submit(Callable<T> task);

    @Override
    public final <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                awaitQuietly(future);
            }
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    @Override
    public final <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = Durations.deadline(Durations.toNanos(timeout, unit));
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || !((ProcessPool.Result<T>) future).await(java.time.Duration.ofNanos(remaining))) {
                    cancelAll(futures);
                    break;
                }
            }
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    @Override
    public final <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, false, 0);
        } catch (TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public final <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return invokeAny(tasks, true, Durations.toNanos(timeout, unit));
    }

    /** The first task to succeed gives the result; the others are cancelled (a running one stopped, as the pool stops it). */
    private <T> T invokeAny(Collection<? extends Callable<T>> tasks, boolean timed, long nanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks");
        }
        long deadline = System.nanoTime() + nanos;
        LinkedBlockingQueue<ProcessPool.Result<T>> done = new LinkedBlockingQueue<>();
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                ProcessPool.Result<T> result = (ProcessPool.Result<T>) future;
                result.whenComplete((value, failure) -> done.add(result));
            }
            ExecutionException last = null;
            for (int i = 0; i < futures.size(); i++) {
                ProcessPool.Result<T> finished = timed ? done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                        : done.take();
                if (finished == null) {
                    throw new TimeoutException("no task succeeded within the time given");
                }
                try {
                    return finished.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            cancelAll(futures);
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit(Objects.requireNonNull(task, "task")));
            }
        } catch (RuntimeException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    private static void awaitQuietly(Future<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException | CancellationException outcomeKnown) {
            // invokeAll returns the futures; their outcome is the caller's to read
        }
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        for (Future<?> future : futures) {
            future.cancel(true);
        }
    }

}
