package io.multiprocessing4j.pool;

import io.multiprocessing4j.errors.TaskTimeoutException;
import io.multiprocessing4j.errors.WorkerDiedException;
import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolStarFunction;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What every pool offers, whatever engine runs its tasks: Python's {@code multiprocessing.Pool}
 * API. The local {@link Pool} (worker processes on this machine) implements it, and so does the
 * cluster pool of the {@code multiprocessing4j-hazelcast} module (tasks run on the members of a
 * Hazelcast cluster). Code written against this interface runs on either:
 *
 * <pre>{@code
 * static List<Long> cubes(ProcessPool pool, List<Integer> numbers) throws Exception {
 *     return pool.map(Cubes::cube, numbers);
 * }
 * try (ProcessPool pool = new Pool(4)) { cubes(pool, numbers); }
 * try (Cluster cluster = Cluster.local(3); ProcessPool pool = cluster.pool()) { cubes(pool, numbers); }
 * }</pre>
 *
 * <p>Semantics are the local pool's: functions and arguments are serializable; a task's exception
 * reaches the caller as the cause of an {@link ExecutionException} with the remote stack trace; a
 * worker (or member) lost while running a task fails that task with a {@link WorkerDiedException}
 * (or a subclass naming what was lost); a task over the pool's task timeout fails with a
 * {@link TaskTimeoutException}; {@link #close()} terminates.
 */
public interface ProcessPool extends AutoCloseable {

    /**
     * A result not waited for yet: Python's {@code AsyncResult}, also a {@link Future} and a
     * {@link CompletionStage}. {@link AsyncResult} is the local pool's.
     */
    interface Result<T> extends Future<T>, CompletionStage<T> {
        /** Waits at most {@code timeout} for the result (Python's {@code get(timeout)}). */
        T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException;

        /** Waits until the result is ready (Python's {@code wait()}). */
        void await() throws InterruptedException;

        /** Waits at most {@code timeout}; returns whether the result is ready (Python's {@code wait(timeout)}). */
        boolean await(Duration timeout) throws InterruptedException;

        /** Whether the result is ready (Python's {@code ready()}). */
        boolean ready();

        /**
         * Whether the task completed without an exception (Python's {@code successful()});
         * {@link IllegalStateException} if it is not ready yet.
         */
        boolean successful();
    }

    /**
     * The results of an {@code imap} as they arrive: Python's {@code IMapIterator}, its own
     * {@link Iterable} (once). A failed task makes {@link #next()} throw a
     * {@link java.util.concurrent.CompletionException} in its place. {@link IMapIterator} is the
     * local pool's.
     */
    interface ResultIterator<T> extends Iterator<T>, Iterable<T> {
        /** Waits at most {@code timeout} for the next result (Python's {@code next(timeout)}). */
        T next(Duration timeout) throws InterruptedException, TimeoutException;
    }

    // ---------------------------------------------------------------- apply

    /** Runs {@code task} in a worker and returns its result (Python's {@code apply}). */
    default <R> R apply(PoolCallable<R> task) throws InterruptedException, ExecutionException {
        return applyAsync(task).get();
    }

    /** Calls {@code function(argument)} in a worker and returns its result. */
    default <T, R> R apply(PoolFunction<? super T, ? extends R> function, T argument)
            throws InterruptedException, ExecutionException {
        return this.<T, R>applyAsync(function, argument).get();
    }

    /** Python's {@code apply_async}. */
    default <R> Result<R> applyAsync(PoolCallable<R> task) {
        return applyAsync(task, null, null);
    }

    /** Python's {@code apply_async} with a callback, run with the result before it is ready. */
    default <R> Result<R> applyAsync(PoolCallable<R> task, Consumer<? super R> callback) {
        return applyAsync(task, callback, null);
    }

    /** Python's {@code apply_async} with a callback and an error callback (either may be null). */
    <R> Result<R> applyAsync(PoolCallable<R> task, Consumer<? super R> callback,
                             Consumer<? super Throwable> errorCallback);

    /** {@code function(argument)} in a worker, without waiting. */
    default <T, R> Result<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument) {
        return applyAsync(function, argument, null, null);
    }

    /** {@code function(argument)} in a worker, without waiting, with a callback. */
    default <T, R> Result<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument,
                                        Consumer<? super R> callback) {
        return applyAsync(function, argument, callback, null);
    }

    /** {@code function(argument)} in a worker, without waiting, with a callback and an error callback. */
    <T, R> Result<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument,
                                Consumer<? super R> callback, Consumer<? super Throwable> errorCallback);

    // ---------------------------------------------------------------- map

    /** {@code function} of every item, in order (Python's {@code map}), in chunks of Python's default size. */
    default <T, R> List<R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items)
            throws InterruptedException, ExecutionException {
        return this.<T, R>mapAsync(function, items).get();
    }

    /** Python's {@code map(func, iterable, chunksize)}. */
    default <T, R> List<R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items,
                               int chunksize) throws InterruptedException, ExecutionException {
        return this.<T, R>mapAsync(function, items, chunksize).get();
    }

    /** Python's {@code map_async(func, iterable)}. */
    default <T, R> Result<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                            Iterable<? extends T> items) {
        return mapAsync(function, items, null, null);
    }

    /** Python's {@code map_async(func, iterable, chunksize)}. */
    default <T, R> Result<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                            Iterable<? extends T> items, int chunksize) {
        return mapAsync(function, items, chunksize, null, null);
    }

    /** Python's {@code map_async} with a chunksize, a callback (given the whole list) and an error callback. */
    <T, R> Result<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items,
                                    int chunksize, Consumer<? super List<R>> callback,
                                    Consumer<? super Throwable> errorCallback);

    /** Python's {@code map_async} with the default chunksize, a callback and an error callback. */
    <T, R> Result<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items,
                                    Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback);

    // ---------------------------------------------------------------- imap

    /** The results of {@code function} on every item, in order, as they come (Python's {@code imap}). */
    default <T, R> ResultIterator<R> imap(PoolFunction<? super T, ? extends R> function,
                                          Iterable<? extends T> items) {
        return imap(function, items, 1);
    }

    /** Python's {@code imap(func, iterable, chunksize)}. */
    <T, R> ResultIterator<R> imap(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items,
                                  int chunksize);

    /** Like {@link #imap}, each result as soon as it is there (Python's {@code imap_unordered}). */
    default <T, R> ResultIterator<R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                   Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    /** Python's {@code imap_unordered(func, iterable, chunksize)}. */
    <T, R> ResultIterator<R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                           Iterable<? extends T> items, int chunksize);

    // ---------------------------------------------------------------- starmap

    /** {@code function(key, value)} of every pair, in order (Python's {@code starmap}, two arguments). */
    default <A, B, R> List<R> starmap(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException, ExecutionException {
        return this.<A, B, R>starmapAsync(function, pairs).get();
    }

    /** {@code function(key, value)} of every pair, in order, in chunks of {@code chunksize}. */
    default <A, B, R> List<R> starmap(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException, ExecutionException {
        return this.<A, B, R>starmapAsync(function, pairs, chunksize).get();
    }

    /** {@code function(arguments)} of every argument list, in order (Python's {@code starmap}, any arity). */
    default <R> List<R> starmap(PoolStarFunction<? extends R> function, Iterable<? extends List<?>> argumentLists)
            throws InterruptedException, ExecutionException {
        return this.<R>starmapAsync(function, argumentLists).get();
    }

    /** {@code function(arguments)} of every argument list, in order, in chunks of {@code chunksize}. */
    default <R> List<R> starmap(PoolStarFunction<? extends R> function, Iterable<? extends List<?>> argumentLists,
                                int chunksize) throws InterruptedException, ExecutionException {
        return this.<R>starmapAsync(function, argumentLists, chunksize).get();
    }

    /** Python's {@code starmap_async} for two-argument functions. */
    <A, B, R> Result<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                           Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs);

    /** Python's {@code starmap_async} for two-argument functions, with a chunksize. */
    <A, B, R> Result<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                           Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                           int chunksize);

    /** Python's {@code starmap_async} for two-argument functions, with a chunksize and callbacks. */
    <A, B, R> Result<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                           Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                           int chunksize, Consumer<? super List<R>> callback,
                                           Consumer<? super Throwable> errorCallback);

    /** Python's {@code starmap_async}, any arity. */
    <R> Result<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                     Iterable<? extends List<?>> argumentLists);

    /** Python's {@code starmap_async}, any arity, with a chunksize. */
    <R> Result<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                     Iterable<? extends List<?>> argumentLists, int chunksize);

    /** Python's {@code starmap_async}, any arity, with a chunksize and callbacks. */
    <R> Result<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                     Iterable<? extends List<?>> argumentLists, int chunksize,
                                     Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback);

    // ---------------------------------------------------------------- lifecycle

    /** Python's {@code close()}: no new tasks; the tasks submitted so far still run. Returns at once. */
    void shutdown();

    /** Python's {@code terminate()}: stops now; every unfinished task is cancelled. */
    void terminate();

    /** Waits until the pool has stopped, after {@link #shutdown()} or {@link #terminate()}. */
    void join() throws InterruptedException;

    /** Terminates and joins, as leaving Python's {@code with Pool() as pool:} block. */
    @Override
    void close();

    /** This pool seen as an {@link ExecutorService}. */
    ExecutorService asExecutorService();

    /** How many tasks the pool runs at once (its workers). */
    int processes();

    /** The time a task is allowed, or null for no limit. */
    Duration taskTimeout();
}
