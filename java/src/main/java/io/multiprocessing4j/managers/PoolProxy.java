package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.manager.TaskOutcome;
import io.multiprocessing4j.internal.time.Durations;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link io.multiprocessing4j.pool.Pool} owned by a {@link Manager}'s server (Python's
 * {@code m.Pool(processes)}): its workers are children of the server, and any process with this
 * proxy can give it work. Tasks and their results travel by value through the server; a task
 * that throws fails its result with an {@link ExecutionException} whose cause is the worker's
 * exception, as with a local pool. The pool is terminated when no process holds a proxy for it
 * any more, or by {@link #terminate()}.
 *
 * <p>A result not fetched stays in the server until the pool goes: fetch what you submit.
 */
public final class PoolProxy implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    PoolProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    /** Runs {@code task} in a worker and answers its result (Python's {@code apply}). */
    public <R> R apply(PoolCallable<R> task) throws InterruptedException, ExecutionException {
        return applyAsync(task).get();
    }

    /** Runs {@code function(argument)} in a worker and answers its result. */
    public <T, R> R apply(PoolFunction<? super T, ? extends R> function, T argument)
            throws InterruptedException, ExecutionException {
        return apply(() -> function.apply(argument));
    }

    /** Submits {@code task} (Python's {@code apply_async}); the future's {@code get} waits for its result. */
    public <R> Future<R> applyAsync(PoolCallable<R> task) {
        return new RemoteResult<>(this, (Long) handle.call("submit", task));
    }

    /** Applies {@code function} to each item in the workers, in chunks as a local pool does (Python's {@code map}). */
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items)
            throws InterruptedException, ExecutionException {
        return PoolProxy.<T, R>mapAsync(this, function, items, 0).get();
    }

    /** As {@link #map}, in chunks of {@code chunksize} items (0: as CPython computes it). */
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items, int chunksize)
            throws InterruptedException, ExecutionException {
        return PoolProxy.<T, R>mapAsync(this, function, items, chunksize).get();
    }

    /** Submits a map (Python's {@code map_async}); the future answers the list of results, in order. */
    public <T, R> Future<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunksize) {
        List<T> all = new ArrayList<>();
        items.forEach(all::add);
        return new RemoteResult<>(this, (Long) handle.call("submitMap", function, all, chunksize));
    }

    private static <T, R> Future<List<R>> mapAsync(PoolProxy pool, PoolFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize) {
        return pool.mapAsync(function, items, chunksize);
    }

    /** The number of worker processes. */
    public int processes() {
        return (Integer) handle.call("processes");
    }

    /** Stops the workers at once (Python's {@code terminate()}); pending tasks fail. */
    public void terminate() {
        handle.call("terminate");
    }

    /** Gives this proxy's reference back now (idempotent); the pool goes once no process holds one. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return (String) handle.call("toString");
    }

    private Object writeReplace() {
        return new ProxyToken(handle);
    }

    /**
     * A task's result in the server, fetched once, then kept here. The server gives a result out
     * once, so one thread at a time asks for it; the others wait for that one's turn with a
     * {@link ReentrantLock}, not a monitor, so that a virtual thread waiting here never pins its
     * carrier, and {@link #isDone()} answers at once while another thread waits in {@code get}.
     * It keeps its pool's proxy reachable: the server drops the pool, pending tasks and all, once
     * no proxy for it is left, so a result whose proxy was collected could never be fetched.
     */
    private static final class RemoteResult<R> implements Future<R> {
        private final PoolProxy pool;
        private final long ticket;
        private final ReentrantLock fetching = new ReentrantLock();
        private volatile TaskOutcome outcome; // written holding fetching

        RemoteResult(PoolProxy pool, long ticket) {
            this.pool = pool;
            this.ticket = ticket;
        }

        @Override
        public R get() throws InterruptedException, ExecutionException {
            return answer(fetch(-1));
        }

        @Override
        public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            TaskOutcome got = fetch(Durations.toNanos(timeout, unit));
            if (got == null) {
                throw new TimeoutException("the manager's pool task did not finish within " + timeout + " " + unit);
            }
            return answer(got);
        }

        /** The outcome, fetched if need be, waiting at most {@code timeoutNanos} (negative: no limit); null if the time ran out. */
        private TaskOutcome fetch(long timeoutNanos) throws InterruptedException {
            TaskOutcome known = outcome;
            if (known != null) {
                return known;
            }
            long began = System.nanoTime();
            if (timeoutNanos < 0) {
                fetching.lockInterruptibly();
            } else if (!fetching.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                return null;
            }
            try {
                if (outcome == null) {
                    long left = timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - (System.nanoTime() - began));
                    keep(pool.handle.callWaiting("result", left, true, ticket));
                }
                return outcome;
            } finally {
                fetching.unlock();
            }
        }

        private void keep(Object answer) {
            if (!ProxyHandle.timedOut(answer)) {
                outcome = (TaskOutcome) answer;
            }
        }

        @SuppressWarnings("unchecked")
        private R answer(TaskOutcome got) throws ExecutionException {
            if (got.failure() != null) {
                throw new ExecutionException(got.failure());
            }
            return (R) got.value();
        }

        /** Not supported: a task given to the manager's pool runs to its end. */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        /**
         * Whether the outcome is here, or the server has it. While another thread is fetching it,
         * not yet: that thread has it within a round trip. Answers any thread, an interrupted one
         * too (its interrupt stays pending).
         */
        @Override
        public boolean isDone() {
            if (outcome != null) {
                return true;
            }
            if (!fetching.tryLock()) {
                return false;
            }
            try {
                if (outcome == null) {
                    keep(pool.handle.callWaitingUninterruptibly("result", 0, ticket));
                }
                return outcome != null;
            } finally {
                fetching.unlock();
            }
        }
    }
}
