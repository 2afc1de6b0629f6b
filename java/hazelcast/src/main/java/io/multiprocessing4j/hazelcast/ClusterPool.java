package io.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.multiprocessing4j.hazelcast.internal.BatchTask;
import io.multiprocessing4j.hazelcast.internal.BatchTask.Kind;
import io.multiprocessing4j.hazelcast.internal.Functions;
import io.multiprocessing4j.pool.PoolBiFunction;
import io.multiprocessing4j.pool.PoolCallable;
import io.multiprocessing4j.pool.PoolFunction;
import io.multiprocessing4j.pool.PoolStarFunction;
import io.multiprocessing4j.pool.ProcessPool;
import io.multiprocessing4j.pool.TaskTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The local {@link io.multiprocessing4j.pool.Pool}'s API on a Hazelcast cluster: tasks run on the
 * cluster's members instead of worker processes. Get one from a {@link Cluster}:
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.local(3); ClusterPool pool = cluster.pool()) {
 *     List<Long> cubes = pool.map(Cubes::cube, numbers);
 * }
 * }</pre>
 *
 * <p>Everything said of the local pool holds ({@link ProcessPool}): serializable functions,
 * chunks (Python's default size over {@link #processes()}), callbacks run before a result is ready
 * on the pool's callback thread, errors with the member's stack trace. Each chunk travels to a
 * member as one Hazelcast task; members take chunks in turn. Its answer comes back by Hazelcast's
 * response, with no polling.
 *
 * <p><b>Member loss.</b> A chunk whose member leaves the cluster (killed, crashed, cut off) before
 * answering fails with a {@link MemberLostException} naming the member, as soon as the cluster
 * notices (its failure-detection time: a few seconds on a {@link Cluster#local local cluster}); or,
 * with {@link Builder#rerunOnMemberLoss(boolean)}, it is run once more on another member, and fails
 * only if that member is lost too. No call waits for a member that is gone.
 *
 * <p><b>Task timeout.</b> With {@link Builder#taskTimeout(Duration)}, a chunk not answered within
 * the timeout times its number of items fails with a {@link TaskTimeoutException}, and its thread on
 * the member is interrupted (a member is not killed for it, unlike a local worker: it serves others).
 *
 * <p><b>Input.</b> {@code imap} reads its whole input when called (the local pool reads a
 * non-collection iterable in a thread of its own).
 */
public final class ClusterPool implements ProcessPool {
    private static final int RUNNING = 0;
    private static final int SHUT_DOWN = 1;
    private static final int TERMINATED = 2;

    private final HazelcastInstance hazelcast;
    private final Duration taskTimeout;
    private final boolean rerunOnMemberLoss;
    private final int processes;
    private final ExecutorService callbackThread;
    private final Dispatcher dispatcher;
    private final UUID membershipListener;
    private final Set<Job> activeJobs = ConcurrentHashMap.newKeySet();
    private final Object stateLock = new Object();
    private int state = RUNNING; // guarded by stateLock

    ClusterPool(HazelcastInstance hazelcast, int processes, Duration taskTimeout, boolean rerunOnMemberLoss) {
        this.hazelcast = hazelcast;
        this.processes = processes;
        this.taskTimeout = taskTimeout;
        this.rerunOnMemberLoss = rerunOnMemberLoss;
        this.callbackThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "multiprocessing4j-cluster-pool-callbacks");
            thread.setDaemon(true);
            return thread;
        });
        this.dispatcher = new Dispatcher(hazelcast, taskTimeout, rerunOnMemberLoss, processes);
        this.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                dispatcher.membersChanged(event.getMembers());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                dispatcher.memberRemoved(event.getMember(), event.getMembers());
            }
        });
        dispatcher.membersChanged(hazelcast.getCluster().getMembers());
    }

    /** Settings of a cluster pool; from {@link Cluster#poolBuilder()}. */
    public static final class Builder {
        private final Cluster cluster;
        private Integer processes;
        private Duration taskTimeout;
        private boolean rerunOnMemberLoss;

        Builder(Cluster cluster) {
            this.cluster = cluster;
        }

        /**
         * How many tasks the cluster runs at once, for the default chunksize; by default the
         * cluster's {@link Cluster#processes()}.
         */
        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("Number of processes must be at least 1, not " + processes);
            }
            this.processes = processes;
            return this;
        }

        /** The time a task is allowed (null: no limit); a chunk of n items is allowed n times this. */
        public Builder taskTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("taskTimeout must be positive, not " + timeout);
            }
            this.taskTimeout = timeout;
            return this;
        }

        /**
         * Whether a chunk whose member left the cluster runs once more on another member (it then
         * may have run twice, in part: use it for idempotent tasks). Off by default: it fails with a
         * {@link MemberLostException}.
         */
        public Builder rerunOnMemberLoss(boolean rerun) {
            this.rerunOnMemberLoss = rerun;
            return this;
        }

        /** The pool. */
        public ClusterPool build() {
            return new ClusterPool(cluster.hazelcast(), processes != null ? processes : cluster.processes(),
                    taskTimeout, rerunOnMemberLoss);
        }
    }

    // ---------------------------------------------------------------- apply

    @Override
    public <R> ClusterResult<R> applyAsync(PoolCallable<R> task) {
        return applyAsync(task, null, null);
    }

    @Override
    public <R> ClusterResult<R> applyAsync(PoolCallable<R> task, Consumer<? super R> callback) {
        return applyAsync(task, callback, null);
    }

    @Override
    public <R> ClusterResult<R> applyAsync(PoolCallable<R> task, Consumer<? super R> callback,
                                           Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(task, "task");
        return submitOne(Kind.CALL, task, null, callback, errorCallback);
    }

    @Override
    public <T, R> ClusterResult<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument) {
        return applyAsync(function, argument, null, null);
    }

    @Override
    public <T, R> ClusterResult<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument,
                                              Consumer<? super R> callback) {
        return applyAsync(function, argument, callback, null);
    }

    @Override
    public <T, R> ClusterResult<R> applyAsync(PoolFunction<? super T, ? extends R> function, T argument,
                                              Consumer<? super R> callback,
                                              Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        return submitOne(Kind.APPLY, function, argument, callback, errorCallback);
    }

    @SuppressWarnings("unchecked")
    private <R> ClusterResult<R> submitOne(Kind kind, Object function, Object argument,
                                           Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        byte[] encodedFunction = Functions.encode(function);
        List<byte[]> chunks = List.of(BatchTask.encodeItems(Collections.singletonList(argument)));
        Consumer<? super List<Object>> whole = callback == null ? null : values -> callback.accept((R) values.get(0));
        MapJob job = new MapJob(kind, encodedFunction, chunks, new int[] {1}, dispatcher, callbackThread, this::ended,
                whole, errorCallback, true);
        start(job);
        return (ClusterResult<R>) job.result;
    }

    // ---------------------------------------------------------------- map

    @Override
    public <T, R> ClusterResult<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                  Iterable<? extends T> items) {
        return mapAsync(function, items, null, null);
    }

    @Override
    public <T, R> ClusterResult<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                  Iterable<? extends T> items, int chunksize) {
        return mapAsync(function, items, chunksize, null, null);
    }

    @Override
    public <T, R> ClusterResult<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                  Iterable<? extends T> items, int chunksize,
                                                  Consumer<? super List<R>> callback,
                                                  Consumer<? super Throwable> errorCallback) {
        return submitMap(Kind.APPLY, function, items, checkChunksize(chunksize), callback, errorCallback);
    }

    @Override
    public <T, R> ClusterResult<List<R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                  Iterable<? extends T> items, Consumer<? super List<R>> callback,
                                                  Consumer<? super Throwable> errorCallback) {
        return submitMap(Kind.APPLY, function, items, 0, callback, errorCallback);
    }

    // ---------------------------------------------------------------- imap

    @Override
    public <T, R> ClusterResultIterator<R> imap(PoolFunction<? super T, ? extends R> function,
                                                Iterable<? extends T> items) {
        return imap(function, items, 1);
    }

    @Override
    public <T, R> ClusterResultIterator<R> imap(PoolFunction<? super T, ? extends R> function,
                                                Iterable<? extends T> items, int chunksize) {
        return submitIMap(function, items, checkChunksize(chunksize), true);
    }

    @Override
    public <T, R> ClusterResultIterator<R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                         Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    @Override
    public <T, R> ClusterResultIterator<R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                         Iterable<? extends T> items, int chunksize) {
        return submitIMap(function, items, checkChunksize(chunksize), false);
    }

    private <R> ClusterResultIterator<R> submitIMap(Object function, Iterable<?> items, int chunksize,
                                                    boolean ordered) {
        Objects.requireNonNull(function, "function");
        List<Object> list = toList(Kind.APPLY, items);
        byte[] encodedFunction = Functions.encode(function);
        List<byte[]> chunks = new ArrayList<>();
        int[] sizes = chunk(list, chunksize, chunks);
        ClusterResultIterator<R> iterator = new ClusterResultIterator<>(ordered, chunks.size());
        start(new IMapJob(Kind.APPLY, encodedFunction, chunks, sizes, dispatcher, callbackThread, this::ended, iterator));
        return iterator;
    }

    // ---------------------------------------------------------------- starmap

    @Override
    public <A, B, R> ClusterResult<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                                         Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return submitMap(Kind.APPLY2, function, pairs, 0, null, null);
    }

    @Override
    public <A, B, R> ClusterResult<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                                         Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                         int chunksize) {
        return submitMap(Kind.APPLY2, function, pairs, checkChunksize(chunksize), null, null);
    }

    @Override
    public <A, B, R> ClusterResult<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                                         Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                         int chunksize, Consumer<? super List<R>> callback,
                                                         Consumer<? super Throwable> errorCallback) {
        return submitMap(Kind.APPLY2, function, pairs, checkChunksize(chunksize), callback, errorCallback);
    }

    @Override
    public <R> ClusterResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                   Iterable<? extends List<?>> argumentLists) {
        return submitMap(Kind.STAR, function, argumentLists, 0, null, null);
    }

    @Override
    public <R> ClusterResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                   Iterable<? extends List<?>> argumentLists, int chunksize) {
        return submitMap(Kind.STAR, function, argumentLists, checkChunksize(chunksize), null, null);
    }

    @Override
    public <R> ClusterResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                   Iterable<? extends List<?>> argumentLists, int chunksize,
                                                   Consumer<? super List<R>> callback,
                                                   Consumer<? super Throwable> errorCallback) {
        return submitMap(Kind.STAR, function, argumentLists, checkChunksize(chunksize), callback, errorCallback);
    }

    @SuppressWarnings("unchecked")
    private <R> ClusterResult<List<R>> submitMap(Kind kind, Object function, Iterable<?> items, int chunksize,
                                                 Consumer<? super List<R>> callback,
                                                 Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        List<Object> list = toList(kind, items);
        byte[] encodedFunction = Functions.encode(function);
        List<byte[]> chunks = new ArrayList<>();
        int size = chunksize > 0 ? chunksize : defaultChunksize(list.size(), processes);
        int[] sizes = chunk(list, size, chunks);
        MapJob job = new MapJob(kind, encodedFunction, chunks, sizes, dispatcher, callbackThread, this::ended,
                (Consumer<? super List<Object>>) (Consumer<?>) callback, errorCallback, false);
        start(job);
        return (ClusterResult<List<R>>) (ClusterResult<?>) job.result;
    }

    /** Python's default chunksize: the items spread over four chunks per process, rounded up. */
    static int defaultChunksize(int items, int processes) {
        if (items == 0) {
            return 1;
        }
        int chunksize = items / (processes * 4);
        return items % (processes * 4) != 0 ? chunksize + 1 : chunksize;
    }

    private static List<Object> toList(Kind kind, Iterable<?> items) {
        Objects.requireNonNull(items, "items");
        List<Object> list = new ArrayList<>(items instanceof Collection ? ((Collection<?>) items).size() : 16);
        for (Object item : items) {
            if (kind == Kind.APPLY2) {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) item;
                list.add(new Object[] {entry.getKey(), entry.getValue()}); // Map.entry() is not serializable
            } else if (kind == Kind.STAR) {
                list.add(new ArrayList<>((List<?>) Objects.requireNonNull(item, "argument list")));
            } else {
                list.add(item);
            }
        }
        return list;
    }

    /** Cuts the items into chunks, encoded now: an item that cannot be serialized is refused here, in the caller. */
    private static int[] chunk(List<Object> items, int chunksize, List<byte[]> chunks) {
        int count = (items.size() + chunksize - 1) / chunksize;
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            int from = i * chunksize;
            int to = Math.min(items.size(), from + chunksize);
            chunks.add(BatchTask.encodeItems(items.subList(from, to)));
            sizes[i] = to - from;
        }
        return sizes;
    }

    private static int checkChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
        }
        return chunksize;
    }

    // ---------------------------------------------------------------- submission

    private void start(Job job) {
        synchronized (stateLock) {
            if (state != RUNNING) {
                throw new IllegalStateException("Pool not running");
            }
            activeJobs.add(job);
        }
        if (job.chunks.isEmpty()) {
            job.allDone();
            return;
        }
        dispatcher.submit(job);
    }

    private void ended(Job job) {
        activeJobs.remove(job);
        synchronized (stateLock) {
            stateLock.notifyAll();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Python's {@code close()}: no new tasks; those submitted still run. Returns at once. */
    @Override
    public void shutdown() {
        synchronized (stateLock) {
            if (state == RUNNING) {
                state = SHUT_DOWN;
            }
            stateLock.notifyAll();
        }
    }

    /** Python's {@code terminate()}: every unfinished task is cancelled (running ones interrupted on their members). */
    @Override
    public void terminate() {
        synchronized (stateLock) {
            state = TERMINATED;
        }
        dispatcher.stopRerunning();
        for (Job job : new ArrayList<>(activeJobs)) {
            job.cancel(true);
        }
        synchronized (stateLock) {
            stateLock.notifyAll();
        }
    }

    /** Waits until every task has finished, after {@link #shutdown()} or {@link #terminate()}. */
    @Override
    public void join() throws InterruptedException {
        synchronized (stateLock) {
            if (state == RUNNING) {
                throw new IllegalStateException("Pool is still running");
            }
            while (!activeJobs.isEmpty()) {
                stateLock.wait(100); // a job's end notifies; the bound covers a notify raced past
            }
        }
        release();
    }

    private void release() {
        try {
            hazelcast.getCluster().removeMembershipListener(membershipListener);
        } catch (RuntimeException clusterGone) {
            // the client is shut down already: nothing to remove
        }
        callbackThread.shutdown();
        dispatcher.close();
    }

    /** Terminates and joins (what try-with-resources calls). */
    @Override
    public void close() {
        terminate();
        boolean interrupted = false;
        while (true) {
            try {
                join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isRunning() {
        synchronized (stateLock) {
            return state == RUNNING;
        }
    }

    boolean isTerminated() {
        synchronized (stateLock) {
            return state != RUNNING && activeJobs.isEmpty();
        }
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (stateLock) {
            while (state == RUNNING || !activeJobs.isEmpty()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(stateLock, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        }
    }

    /** This pool as an {@link ExecutorService}: tasks run on the cluster's members. */
    @Override
    public ClusterExecutorService asExecutorService() {
        return new ClusterExecutorService(this);
    }

    /** How many tasks the cluster runs at once, as the pool counts them for the default chunksize. */
    @Override
    public int processes() {
        return processes;
    }

    /** The time a task is allowed, or null. */
    @Override
    public Duration taskTimeout() {
        return taskTimeout;
    }

    /** Whether a chunk lost with its member runs once more elsewhere. */
    public boolean rerunsOnMemberLoss() {
        return rerunOnMemberLoss;
    }

    @Override
    public String toString() {
        return "ClusterPool[members=" + hazelcast.getCluster().getMembers().size() + ", processes=" + processes + "]";
    }
}
