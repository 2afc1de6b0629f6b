package io.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.multiprocessing4j.hazelcast.internal.BatchTask;
import io.multiprocessing4j.hazelcast.internal.BatchTask.Kind;
import io.multiprocessing4j.hazelcast.internal.Functions;
import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolStarFunction;
import io.multiprocessing4j.pool.ProcessPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * on the pool's callback thread, errors with the member's stack trace. Chunks go to the members in
 * turn, a few at a time: each member has twice its task threads' worth in flight (one running, one
 * on its way), and the next chunk goes to whichever member frees first. Chunks that the members
 * report short (well under a millisecond), of one call or of calls of the same function waiting
 * behind each other, travel several to a Hazelcast task, each with its own answer, so that
 * chunksize 1 does not pay a Hazelcast invocation per item. Answers
 * come back by Hazelcast's response, with no polling.
 *
 * <p><b>Member loss.</b> A chunk whose member leaves the cluster (killed, crashed, cut off) before
 * answering fails with a {@link MemberLostException} naming the member, as soon as the cluster
 * notices (its failure-detection time: a few seconds on a {@link Cluster#local local cluster}); or,
 * with {@link Builder#rerunOnMemberLoss(boolean)}, it is run once more on another member, and fails
 * only if that member is lost too. No call waits for a member that is gone.
 *
 * <p><b>Task timeout.</b> With {@link Builder#taskTimeout(Duration)}, a chunk not answered within
 * the timeout times its number of items fails with a {@link io.multiprocessing4j.errors.TaskTimeoutException}, and its thread on
 * the member is interrupted (a member is not killed for it, unlike a local worker: it serves others).
 *
 * <p><b>Input.</b> {@code imap} reads its whole input when called (the local pool reads a
 * non-collection iterable in a thread of its own).
 */
public final class ClusterPool implements ProcessPool {
    private final HazelcastInstance hazelcast;
    private final Duration taskTimeout;
    private final boolean rerunOnMemberLoss;
    private final int processes;
    private final ExecutorService callbackThread;
    private final Dispatcher dispatcher;
    private final UUID membershipListener;
    private final PoolState state = new PoolState();

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
         * How many tasks the cluster runs at once, for the default chunksize and for how many
         * chunks each member is given at a time (twice its share of this); by default the cluster's
         * {@link Cluster#processes()}. On a cluster connected to, whose members run more than one
         * pool task at once, say members × threads here.
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
        return submitMap(Kind.APPLY, function, items, Chunking.checkChunksize(chunksize), callback, errorCallback);
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
        return submitIMap(function, items, Chunking.checkChunksize(chunksize), true);
    }

    @Override
    public <T, R> ClusterResultIterator<R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                         Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    @Override
    public <T, R> ClusterResultIterator<R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                         Iterable<? extends T> items, int chunksize) {
        return submitIMap(function, items, Chunking.checkChunksize(chunksize), false);
    }

    private <R> ClusterResultIterator<R> submitIMap(Object function, Iterable<?> items, int chunksize,
                                                    boolean ordered) {
        Objects.requireNonNull(function, "function");
        List<Object> list = Chunking.toList(Kind.APPLY, items);
        byte[] encodedFunction = Functions.encode(function);
        List<byte[]> chunks = new ArrayList<>();
        int[] sizes = Chunking.chunk(list, chunksize, chunks);
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
        return submitMap(Kind.APPLY2, function, pairs, Chunking.checkChunksize(chunksize), null, null);
    }

    @Override
    public <A, B, R> ClusterResult<List<R>> starmapAsync(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                                         Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                         int chunksize, Consumer<? super List<R>> callback,
                                                         Consumer<? super Throwable> errorCallback) {
        return submitMap(Kind.APPLY2, function, pairs, Chunking.checkChunksize(chunksize), callback, errorCallback);
    }

    @Override
    public <R> ClusterResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                   Iterable<? extends List<?>> argumentLists) {
        return submitMap(Kind.STAR, function, argumentLists, 0, null, null);
    }

    @Override
    public <R> ClusterResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                   Iterable<? extends List<?>> argumentLists, int chunksize) {
        return submitMap(Kind.STAR, function, argumentLists, Chunking.checkChunksize(chunksize), null, null);
    }

    @Override
    public <R> ClusterResult<List<R>> starmapAsync(PoolStarFunction<? extends R> function,
                                                   Iterable<? extends List<?>> argumentLists, int chunksize,
                                                   Consumer<? super List<R>> callback,
                                                   Consumer<? super Throwable> errorCallback) {
        return submitMap(Kind.STAR, function, argumentLists, Chunking.checkChunksize(chunksize), callback, errorCallback);
    }

    @SuppressWarnings("unchecked")
    private <R> ClusterResult<List<R>> submitMap(Kind kind, Object function, Iterable<?> items, int chunksize,
                                                 Consumer<? super List<R>> callback,
                                                 Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        List<Object> list = Chunking.toList(kind, items);
        byte[] encodedFunction = Functions.encode(function);
        List<byte[]> chunks = new ArrayList<>();
        int size = chunksize > 0 ? chunksize : Chunking.defaultChunksize(list.size(), processes);
        int[] sizes = Chunking.chunk(list, size, chunks);
        MapJob job = new MapJob(kind, encodedFunction, chunks, sizes, dispatcher, callbackThread, this::ended,
                (Consumer<? super List<Object>>) (Consumer<?>) callback, errorCallback, false);
        start(job);
        return (ClusterResult<List<R>>) (ClusterResult<?>) job.result;
    }

    // ---------------------------------------------------------------- submission

    private void start(Job job) {
        state.admit(job);
        if (job.chunks.isEmpty()) {
            job.allDone();
            return;
        }
        dispatcher.submit(job);
    }

    private void ended(Job job) {
        state.ended(job);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Python's {@code close()}: no new tasks; those submitted still run. Returns at once. */
    @Override
    public void shutdown() {
        state.shutDown();
    }

    /** Python's {@code terminate()}: every unfinished task is cancelled (running ones interrupted on their members). */
    @Override
    public void terminate() {
        List<Job> unfinished = state.terminate();
        dispatcher.stopRerunning();
        for (Job job : unfinished) {
            job.cancel(true);
        }
    }

    /** Waits until every task has finished, after {@link #shutdown()} or {@link #terminate()}. */
    @Override
    public void join() throws InterruptedException {
        state.awaitJobs();
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
        return state.isRunning();
    }

    boolean isTerminated() {
        return state.isTerminated();
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        return state.awaitTermination(nanos);
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

    /** How many Hazelcast tasks this pool has sent, each with one or more chunks. */
    long batchesSent() {
        return dispatcher.batchesSent();
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
