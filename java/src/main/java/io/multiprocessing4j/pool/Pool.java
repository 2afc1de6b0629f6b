package io.multiprocessing4j.pool;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.errors.TaskTimeoutException;
import io.multiprocessing4j.errors.WorkerDiedException;
import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolInitializer;
import io.multiprocessing4j.function.PoolStarFunction;
import io.multiprocessing4j.internal.SharedCleaner;
import io.multiprocessing4j.internal.pool.CallKind;
import io.multiprocessing4j.internal.pool.PoolCore;
import io.multiprocessing4j.internal.pool.Submissions;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A pool of worker processes: Python's {@code multiprocessing.Pool}. Each worker is a JVM of its
 * own (a {@link io.multiprocessing4j.ChildProcess}, daemonic, named {@code PoolWorker-N}) that runs
 * the tasks it is sent, one at a time.
 *
 * <pre>{@code
 * try (Pool pool = new Pool(4)) {                              // with Pool(4) as pool:
 *     List<Long> cubes = pool.map(Cubes::cube, numbers);       //     pool.map(cube, numbers)
 *     long one = pool.apply(() -> Cubes.cube(50));             //     pool.apply(cube, (50,))
 *     AsyncResult<Long> later = pool.applyAsync(Cubes::cube, 10, System.out::println);
 *     for (long cube : pool.imap(Cubes::cube, numbers)) { ... }
 * }                                                            // terminates, as Python's with-block
 * }</pre>
 *
 * <h2>Functions and arguments</h2>
 * Functions are serializable lambdas or method references ({@link PoolFunction},
 * {@link PoolCallable}, {@link PoolBiFunction}, {@link PoolStarFunction}); they, and the arguments,
 * are serialized in the calling thread, so something that cannot be serialized fails the call with
 * an {@link IllegalArgumentException} naming it, before anything is queued. Strings, boxed
 * primitives and primitive arrays travel in a compact form of their own; other values with Java
 * serialization. A function crosses to each worker once per pool, not with every task. A result
 * that cannot be serialized fails its task (a {@link java.io.NotSerializableException} as the
 * cause), and the worker goes on.
 *
 * <h2>Failures</h2>
 * An exception thrown by a task reaches the caller as the cause of an {@link ExecutionException}
 * (or of a {@link java.util.concurrent.CompletionException} from {@link IMapIterator#next()}),
 * with the worker's stack trace; the worker goes on serving. Beyond Python:
 * <ul>
 *   <li>a worker that dies while running a task (killed, {@code System.exit}, a crash in native
 *       code, out of memory) fails that task with a {@link WorkerDiedException} carrying its pid
 *       and exit code; the tasks it had been sent but had not started go to other workers, a new
 *       worker takes its place, and the pool goes on (CPython's pool hangs for ever);</li>
 *   <li>with a {@link Builder#taskTimeout task timeout}, a task that runs longer fails with a
 *       {@link TaskTimeoutException}, and its worker is killed and replaced;</li>
 *   <li>if the initializer throws, or a worker cannot be started, the pool is broken: the tasks
 *       waiting for a worker fail with the reason as cause, new tasks are refused, and the pool
 *       closes (as Java's and Python's {@code ProcessPoolExecutor} do; CPython's {@code Pool}
 *       starts new workers for ever).</li>
 * </ul>
 * No call waits for a worker that is gone.
 *
 * <h2>Lifecycle</h2>
 * {@link #shutdown()} is Python's {@code close()}: no new tasks; the workers exit once the tasks
 * are done. {@link #terminate()} stops the workers at once; every unfinished task is cancelled
 * (Python leaves its results waiting for ever). {@link #join()} waits for the workers to exit, and
 * like Python's refuses to wait for a running pool. {@link #close()}, which try-with-resources
 * calls, terminates and joins, as leaving Python's {@code with Pool() as pool:} block terminates.
 * (So Python's {@code pool.close(); pool.join()} is {@code pool.shutdown(); pool.join()} here.)
 * {@link #asExecutorService()} views the pool as an {@link java.util.concurrent.ExecutorService}.
 *
 * <h2>Start method</h2>
 * Workers start with the pool's {@link ProcessContext} (by default the default context). Under
 * {@code warm} ({@code Multiprocessing.getContext("warm")}), a worker replaced after a crash, a
 * timeout or {@code maxTasksPerChild} starts from a booted spare JVM in milliseconds instead of
 * booting one: the better choice for pools that replace workers often.
 */
public final class Pool implements ProcessPool {
    private final PoolCore core;
    private final ProcessContext context;
    private final Cleaner.Cleanable cleanable;

    /** A pool of {@code Multiprocessing.cpuCount()} workers (Python's {@code Pool()}). */
    public Pool() {
        this(builder());
    }

    /** A pool of {@code processes} workers. */
    public Pool(int processes) {
        this(builder().processes(processes));
    }

    /** A pool of {@code processes} workers, each running {@code initializer} before its first task. */
    public Pool(int processes, PoolInitializer initializer) {
        this(builder().processes(processes).initializer(initializer));
    }

    /**
     * A pool of {@code processes} workers, each running {@code initializer} (may be null) first
     * and replaced after {@code maxTasksPerChild} tasks.
     */
    public Pool(int processes, PoolInitializer initializer, int maxTasksPerChild) {
        this(builder().processes(processes).initializer(initializer).maxTasksPerChild(maxTasksPerChild));
    }

    private Pool(Builder builder) {
        this.context = builder.context != null ? builder.context : ProcessContext.defaultContext();
        int processes = builder.processes != null ? builder.processes
                : Math.min(Builder.MAX_PROCESSES, Multiprocessing.cpuCount());
        this.core = PoolCore.start(processes, context, builder.maxTasksPerChild, builder.initializer,
                builder.taskTimeout);
        PoolCore owned = core;
        // A pool dropped without close() is terminated once nothing refers to it or its results.
        this.cleanable = SharedCleaner.INSTANCE.register(this, owned::terminate);
    }

    /** For the settings the constructors do not take: context, task timeout. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- apply

    /** Runs {@code task} in a worker and returns its result (Python's {@code apply(func, args)}). */
    @Override
    public <R> R apply(PoolCallable<R> task) throws InterruptedException, ExecutionException {
        return applyAsync(task).get();
    }

    /** Calls {@code function(argument)} in a worker and returns its result. */
    @Override
    public <T, R> R apply(PoolFunction<? super T, ? extends R> function, T argument)
            throws InterruptedException, ExecutionException {
        return this.<T, R>applyAsync(function, argument).get();
    }

    /** Python's {@code apply_async(func, args)}. */
    @Override
    public <R> AsyncResult<R> applyAsync(PoolCallable<R> task) {
        return applyAsync(task, null, null);
    }

    /** Python's {@code apply_async(func, args, callback=callback)}: the callback runs here, with the result. */
    @Override
    public <R> AsyncResult<R> applyAsync(PoolCallable<R> task, Consumer<? super R> callback) {
        return applyAsync(task, callback, null);
    }

    /** Python's {@code apply_async} with a callback and an error callback (either may be null). */
    @Override
    public <R> AsyncResult<R> applyAsync(PoolCallable<R> task, Consumer<? super R> callback,
                                         Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(task, "task");
        return new AsyncResult<>(Submissions.apply(core, this, task, CallKind.CALL, null, callback, errorCallback));
    }

    /** {@code function(argument)} in a worker, without waiting. */
    @Override
    public <T, R> AsyncResult<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument) {
        return applyAsync(function, argument, null, null);
    }

    @Override
    public <T, R> AsyncResult<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument,
                                            Consumer<? super R> callback) {
        return applyAsync(function, argument, callback, null);
    }

    @Override
    public <T, R> AsyncResult<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument,
                                            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        return new AsyncResult<>(
                Submissions.apply(core, this, function, CallKind.APPLY, argument, callback, errorCallback));
    }

    // ---------------------------------------------------------------- map

    /**
     * {@code function} of every item, in order (Python's {@code map}); the items go in chunks of
     * Python's default size (a quarter of an even share per worker).
     */
    @Override
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items)
            throws InterruptedException, ExecutionException {
        return this.<T, R>mapAsync(function, items).get();
    }

    /** Python's {@code map(func, iterable, chunksize)}. */
    @Override
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items,
                              int chunksize) throws InterruptedException, ExecutionException {
        return this.<T, R>mapAsync(function, items, chunksize).get();
    }

    /** Python's {@code map_async(func, iterable)}. */
    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                Iterable<? extends T> items) {
        return submitMap(function, CallKind.APPLY, items, 0, null, null);
    }

    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                Iterable<? extends T> items, int chunksize) {
        return submitMap(function, CallKind.APPLY, items, checkChunksize(chunksize), null, null);
    }

    /** Python's {@code map_async} with a callback (given the whole list) and an error callback. */
    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                Iterable<? extends T> items, int chunksize,
                                                Consumer<? super List<R>> callback,
                                                Consumer<? super Throwable> errorCallback) {
        return submitMap(function, CallKind.APPLY, items, checkChunksize(chunksize), callback, errorCallback);
    }

    /** Like {@link #mapAsync(PoolFunction, Iterable)} with Python's default chunksize and callbacks. */
    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                Iterable<? extends T> items, Consumer<? super List<R>> callback,
                                                Consumer<? super Throwable> errorCallback) {
        return submitMap(function, CallKind.APPLY, items, 0, callback, errorCallback);
    }

    // ---------------------------------------------------------------- imap

    /**
     * The results of {@code function} on every item, in order, as they come (Python's {@code imap};
     * chunksize 1). A collection is queued at once; another iterable is read in a thread of its
     * own, so this returns at once either way.
     */
    @Override
    public <T, R> IMapIterator<R> imap(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items) {
        return imap(function, items, 1);
    }

    @Override
    public <T, R> IMapIterator<R> imap(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items,
                                       int chunksize) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(items, "items");
        return new IMapIterator<>(
                Submissions.imap(core, this, function, CallKind.APPLY, items, checkChunksize(chunksize), true));
    }

    /** Like {@link #imap}, but each result as soon as it is there (Python's {@code imap_unordered}). */
    @Override
    public <T, R> IMapIterator<R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    @Override
    public <T, R> IMapIterator<R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                Iterable<? extends T> items, int chunksize) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(items, "items");
        return new IMapIterator<>(
                Submissions.imap(core, this, function, CallKind.APPLY, items, checkChunksize(chunksize), false));
    }

    // ---------------------------------------------------------------- starmap

    /**
     * {@code function(key, value)} of every pair, in order (Python's {@code starmap} for
     * two-argument functions): {@code pool.starmap(Example::multiply, List.of(Map.entry(1, 0.5)))}.
     */
    @Override
    public <A, B, R> List<R> starmap(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException, ExecutionException {
        return this.<A, B, R>starmapAsync(function, pairs).get();
    }

    @Override
    public <A, B, R> List<R> starmap(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException, ExecutionException {
        return this.<A, B, R>starmapAsync(function, pairs, chunksize).get();
    }

    /** {@code function(arguments)} for every argument list, in order (Python's {@code starmap}, any arity). */
    @Override
    public <R> List<R> starmap(PoolStarFunction<? extends R> function, Iterable<? extends List<?>> argumentLists)
            throws InterruptedException, ExecutionException {
        return this.<R>starmapAsync(function, argumentLists).get();
    }

    @Override
    public <R> List<R> starmap(PoolStarFunction<? extends R> function, Iterable<? extends List<?>> argumentLists,
                               int chunksize) throws InterruptedException, ExecutionException {
        return this.<R>starmapAsync(function, argumentLists, chunksize).get();
    }

    /** Python's {@code starmap_async} for two-argument functions. */
    @Override
    public <A, B, R> AsyncResult<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return submitMap(function, CallKind.APPLY2, pairs, 0, null, null);
    }

    @Override
    public <A, B, R> AsyncResult<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                       int chunksize) {
        return submitMap(function, CallKind.APPLY2, pairs, checkChunksize(chunksize), null, null);
    }

    @Override
    public <A, B, R> AsyncResult<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                       int chunksize, Consumer<? super List<R>> callback,
                                                       Consumer<? super Throwable> errorCallback) {
        return submitMap(function, CallKind.APPLY2, pairs, checkChunksize(chunksize), callback, errorCallback);
    }

    /** Python's {@code starmap_async}, any arity. */
    @Override
    public <R> AsyncResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                 Iterable<? extends List<?>> argumentLists) {
        return submitMap(function, CallKind.STAR, argumentLists, 0, null, null);
    }

    @Override
    public <R> AsyncResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                 Iterable<? extends List<?>> argumentLists, int chunksize) {
        return submitMap(function, CallKind.STAR, argumentLists, checkChunksize(chunksize), null, null);
    }

    @Override
    public <R> AsyncResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                 Iterable<? extends List<?>> argumentLists, int chunksize,
                                                 Consumer<? super List<R>> callback,
                                                 Consumer<? super Throwable> errorCallback) {
        return submitMap(function, CallKind.STAR, argumentLists, checkChunksize(chunksize), callback, errorCallback);
    }

    private <R> AsyncResult<List<R>> submitMap(Object function, CallKind kind, Iterable<?> items, int chunksize,
                                               Consumer<? super List<R>> callback,
                                               Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(items, "items");
        return new AsyncResult<>(
                Submissions.map(core, this, function, kind, items, chunksize, callback, errorCallback));
    }

    private static int checkChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
        }
        return chunksize;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Python's {@code close()}: no more tasks (they are refused with Python's "Pool not running");
     * the workers exit once every task submitted so far is done. Returns at once.
     */
    @Override
    public void shutdown() {
        core.shutdown();
    }

    /**
     * Python's {@code terminate()}: stops the workers now (SIGTERM, then SIGKILL for any still alive
     * a second later). Every task not finished is cancelled: its result throws
     * {@link java.util.concurrent.CancellationException}. Returns at once; {@link #join()} waits.
     */
    @Override
    public void terminate() {
        core.terminate();
    }

    /**
     * Waits until every worker has exited and every callback has run (Python's {@code join()}).
     * Only after {@link #shutdown()} or {@link #terminate()}: on a running pool it throws
     * {@link IllegalStateException} ("Pool is still running"), as Python raises ValueError.
     */
    @Override
    public void join() throws InterruptedException {
        core.join();
    }

    /**
     * Terminates the pool and waits for its workers to exit: what leaving Python's
     * {@code with Pool() as pool:} block does (plus the wait), and what try-with-resources calls.
     * An interrupt does not cut the wait short (it is short: the workers are being killed); the
     * thread's interrupt status is kept.
     */
    @Override
    public void close() {
        core.terminateAndJoin();
        cleanable.clean();
    }

    /** This pool as an {@link java.util.concurrent.ExecutorService} (its shutdown is this pool's). */
    @Override
    public PoolExecutorService asExecutorService() {
        return new PoolExecutorService(this, core);
    }

    /** The number of workers (Python's {@code _processes}). */
    @Override
    public int processes() {
        return core.processes;
    }

    /** The context the workers start with. */
    public ProcessContext context() {
        return context;
    }

    /** The task timeout, or null for none. */
    @Override
    public Duration taskTimeout() {
        return core.taskTimeout();
    }

    /** The pids of the workers now running (they change as workers are replaced). */
    public List<Long> workerPids() {
        return core.workerPids();
    }

    /** Python's repr: {@code Pool[state=RUN, pool_size=4]}. */
    @Override
    public String toString() {
        return "Pool[" + core.describe() + "]";
    }

    /** Builds a {@link Pool} with the settings Python's constructor takes, and the task timeout. */
    public static final class Builder {
        /** The most workers a pool may have. */
        public static final int MAX_PROCESSES = 500;

        private Integer processes;
        private PoolInitializer initializer;
        private int maxTasksPerChild;
        private ProcessContext context;
        private Duration taskTimeout;

        private Builder() {
        }

        /** The number of workers (default {@code Multiprocessing.cpuCount()}); at most {@link #MAX_PROCESSES}. */
        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("Number of processes must be at least 1");
            }
            if (processes > MAX_PROCESSES) {
                throw new IllegalArgumentException("at most " + MAX_PROCESSES + " processes: one poll(2) watches every"
                        + " worker's connection and pid, not " + processes);
            }
            this.processes = processes;
            return this;
        }

        /** Runs once in every worker before its first task (null: none). */
        public Builder initializer(PoolInitializer initializer) {
            this.initializer = initializer;
            return this;
        }

        /** Replaces a worker after this many tasks (a chunk of a map counts as one task); by default never. */
        public Builder maxTasksPerChild(int maxTasksPerChild) {
            if (maxTasksPerChild < 1) {
                throw new IllegalArgumentException("maxtasksperchild must be a positive int, not " + maxTasksPerChild);
            }
            this.maxTasksPerChild = maxTasksPerChild;
            return this;
        }

        /** How the workers start (default: the default context). */
        public Builder context(ProcessContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Beyond Python: a task running longer than this fails with a {@link TaskTimeoutException}
         * and its worker is killed and replaced. The limit applies to each call of the function: a
         * chunk of n items (map with a chunksize above 1) may take n times as long, so with
         * chunksize 1 each item gets exactly this. The time counts from when the worker starts the
         * task, not from submission. Millisecond resolution.
         */
        public Builder taskTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("task timeout must be positive: " + timeout);
            }
            this.taskTimeout = timeout;
            return this;
        }

        /** Starts the workers; throws {@link io.multiprocessing4j.errors.ProcessStartException} if one cannot start. */
        public Pool build() {
            return new Pool(this);
        }
    }
}
