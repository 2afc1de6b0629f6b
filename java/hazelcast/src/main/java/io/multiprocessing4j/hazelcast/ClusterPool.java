package io.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.multiprocessing4j.hazelcast.internal.ChunkOutcome;
import io.multiprocessing4j.hazelcast.internal.ChunkTask;
import io.multiprocessing4j.hazelcast.internal.ChunkTask.Kind;
import io.multiprocessing4j.hazelcast.internal.Codec;
import io.multiprocessing4j.hazelcast.internal.Members;
import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolStarFunction;
import io.multiprocessing4j.pool.ProcessPool;
import io.multiprocessing4j.errors.TaskTimeoutException;
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
    private final IExecutorService executor;
    private final Duration taskTimeout;
    private final boolean rerunOnMemberLoss;
    private final int processes;
    private final ExecutorService callbackThread;
    private final ScheduledExecutorService timer;
    private final UUID membershipListener;
    private final AtomicInteger nextMember = new AtomicInteger();
    private volatile Member[] members;
    /**
     * Members whose connection broke while the cluster still lists them, with the time (nanoTime)
     * until which they get no new work: until the cluster removes them, or, if it does not (the
     * connection came back), for a while.
     */
    private final Map<UUID, Long> suspects = new ConcurrentHashMap<>();
    private static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private final Set<Chunk> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<Job> activeJobs = ConcurrentHashMap.newKeySet();
    private final Object stateLock = new Object();
    private int state = RUNNING; // guarded by stateLock

    ClusterPool(HazelcastInstance hazelcast, int processes, Duration taskTimeout, boolean rerunOnMemberLoss) {
        this.hazelcast = hazelcast;
        this.executor = hazelcast.getExecutorService(Members.EXECUTOR);
        this.processes = processes;
        this.taskTimeout = taskTimeout;
        this.rerunOnMemberLoss = rerunOnMemberLoss;
        this.callbackThread = Executors.newSingleThreadExecutor(daemon("multiprocessing4j-cluster-pool-callbacks"));
        this.timer = taskTimeout != null
                ? Executors.newSingleThreadScheduledExecutor(daemon("multiprocessing4j-cluster-pool-timeouts")) : null;
        this.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                refreshMembers();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                refreshMembers();
                memberLost(event.getMember());
                suspects.remove(event.getMember().getUuid());
            }
        });
        refreshMembers();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
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
        ChunkTask task = ChunkTask.of(kind, function, Collections.singletonList(argument));
        Consumer<? super List<Object>> whole = callback == null ? null : values -> callback.accept((R) values.get(0));
        MapJob job = new MapJob(List.of(task), new int[] {1}, whole, errorCallback, true);
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
        List<ChunkTask> tasks = new ArrayList<>();
        int[] sizes = chunk(Kind.APPLY, function, list, chunksize, tasks);
        ClusterResultIterator<R> iterator = new ClusterResultIterator<>(ordered, tasks.size());
        start(new IMapJob(tasks, sizes, iterator));
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
        List<ChunkTask> tasks = new ArrayList<>();
        int size = chunksize > 0 ? chunksize : defaultChunksize(list.size(), processes);
        int[] sizes = chunk(kind, function, list, size, tasks);
        MapJob job = new MapJob(tasks, sizes, (Consumer<? super List<Object>>) (Consumer<?>) callback, errorCallback,
                false);
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

    private static int[] chunk(Kind kind, Object function, List<Object> items, int chunksize, List<ChunkTask> tasks) {
        int count = (items.size() + chunksize - 1) / chunksize;
        int[] sizes = new int[count];
        byte[] encodedFunction = ChunkTask.encodeFunction(function);
        for (int i = 0; i < count; i++) {
            int from = i * chunksize;
            int to = Math.min(items.size(), from + chunksize);
            tasks.add(ChunkTask.of(kind, encodedFunction, items.subList(from, to)));
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

    // ---------------------------------------------------------------- dispatch

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
        for (Chunk chunk : job.chunks) {
            dispatch(chunk, 1, null);
        }
    }

    private void refreshMembers() {
        members = hazelcast.getCluster().getMembers().toArray(new Member[0]);
    }

    /** The next member in turn, other than {@code avoid}; null if there is none. */
    private Member pickMember(Member avoid) {
        Member[] current = members;
        for (int tries = 0; tries < current.length; tries++) {
            Member member = current[Math.floorMod(nextMember.getAndIncrement(), current.length)];
            if ((avoid == null || !member.getUuid().equals(avoid.getUuid())) && !isSuspect(member)) {
                return member;
            }
        }
        return null;
    }

    private boolean isSuspect(Member member) {
        Long until = suspects.get(member.getUuid());
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            suspects.remove(member.getUuid());
            return false;
        }
        return true;
    }

    private void dispatch(Chunk chunk, int attempt, Member avoid) {
        Member member = pickMember(avoid);
        if (member == null) {
            chunk.settle(attempt, null, avoid != null ? lostException(avoid)
                    : new IllegalStateException("the cluster has no member to run the task"));
            return;
        }
        synchronized (chunk) {
            if (chunk.settled || attempt != chunk.attempt) {
                return;
            }
            chunk.member = member;
        }
        inFlight.add(chunk);
        Future<byte[]> future;
        try {
            future = executor.submitToMember(chunk.task, member);
        } catch (RuntimeException refused) {
            answered(chunk, attempt, member, null, refused);
            return;
        }
        boolean cancelNow;
        synchronized (chunk) {
            chunk.future = future;
            cancelNow = chunk.settled;
            if (!cancelNow && timer != null) {
                long nanos = saturatedMultiply(taskTimeout.toNanos(), chunk.size);
                chunk.timeout = timer.schedule(() -> timedOut(chunk, attempt, member), nanos, TimeUnit.NANOSECONDS);
            }
        }
        if (cancelNow) {
            cancelQuietly(future, true);
            return;
        }
        // Hazelcast 5's futures are CompletionStages: the answer arrives as a callback, no thread waits for it.
        @SuppressWarnings("unchecked")
        CompletionStage<byte[]> answer = (CompletionStage<byte[]>) future;
        answer.whenComplete((bytes, failure) -> answered(chunk, attempt, member, bytes, failure));
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    private void answered(Chunk chunk, int attempt, Member member, byte[] bytes, Throwable failure) {
        if (failure != null) {
            Throwable cause = unwrap(failure);
            if (cause instanceof CancellationException) {
                // Usually we cancelled it, and the chunk is settled already (then this does nothing).
                chunk.settle(attempt, null, cause);
                return;
            }
            if (isMemberLoss(cause)) {
                lost(chunk, attempt, member);
                return;
            }
            chunk.settle(attempt, null, cause);
            return;
        }
        ChunkOutcome outcome;
        try {
            outcome = (ChunkOutcome) Codec.decode(bytes);
        } catch (Exception | LinkageError undecodable) {
            chunk.settle(attempt, null, new IllegalStateException("cannot decode the answer of member "
                    + Members.describe(member) + ": " + undecodable, undecodable));
            return;
        }
        chunk.settle(attempt, outcome.values(), outcome.failure());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static boolean isMemberLoss(Throwable cause) {
        return cause instanceof MemberLeftException || cause instanceof TargetDisconnectedException
                || cause instanceof TargetNotMemberException;
    }

    /** A member left: every chunk it was running is lost (the executor may not tell, or not soon). */
    private void memberLost(Member member) {
        for (Chunk chunk : inFlight) {
            int attempt;
            synchronized (chunk) {
                if (chunk.member == null || !chunk.member.getUuid().equals(member.getUuid())) {
                    continue;
                }
                attempt = chunk.attempt;
            }
            lost(chunk, attempt, member);
        }
    }

    private void lost(Chunk chunk, int attempt, Member member) {
        if (members().contains(member)) {
            suspects.put(member.getUuid(), System.nanoTime() + SUSPECT_NANOS);
        }
        boolean rerun;
        synchronized (chunk) {
            if (chunk.settled || attempt != chunk.attempt) {
                return;
            }
            rerun = rerunOnMemberLoss && chunk.attempt < 2 && isAccepting();
            if (rerun) {
                chunk.attempt++;
                chunk.cancelTimeout();
            }
        }
        if (rerun) {
            dispatch(chunk, attempt + 1, member);
        } else {
            chunk.settle(attempt, null, lostException(member));
        }
    }

    private List<Member> members() {
        return Arrays.asList(members);
    }

    private boolean isAccepting() {
        synchronized (stateLock) {
            return state != TERMINATED;
        }
    }

    private static MemberLostException lostException(Member member) {
        return new MemberLostException("member " + Members.describe(member)
                + " left the cluster before the task finished", String.valueOf(member.getAddress()),
                member.getUuid(), Members.pid(member));
    }

    private void timedOut(Chunk chunk, int attempt, Member member) {
        Future<byte[]> future;
        synchronized (chunk) {
            if (chunk.settled || attempt != chunk.attempt) {
                return;
            }
            future = chunk.future;
        }
        chunk.settle(attempt, null, new TaskTimeoutException("the task ran longer than " + taskTimeout
                + (chunk.size > 1 ? " per item (" + chunk.size + " items)" : "") + " on member "
                + Members.describe(member) + "; its thread there was interrupted", taskTimeout, Members.pid(member)));
        if (future != null) {
            cancelQuietly(future, true);
        }
    }

    /** Cancels a chunk's Hazelcast future; a client already shut down has nothing left to cancel. */
    private static void cancelQuietly(Future<byte[]> future, boolean mayInterrupt) {
        try {
            future.cancel(mayInterrupt);
        } catch (RuntimeException clientGone) {
            // the invocation ended with the client
        }
    }

    /** One Hazelcast task's worth of a job, with its dispatch state. */
    private final class Chunk {
        final Job job;
        final int index;
        final ChunkTask task;
        final int size;
        // Guarded by this.
        int attempt = 1;
        boolean settled;
        Member member;
        Future<byte[]> future;
        ScheduledFuture<?> timeout;

        Chunk(Job job, int index, ChunkTask task, int size) {
            this.job = job;
            this.index = index;
            this.task = task;
            this.size = size;
        }

        void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }

        /** The chunk's answer, once: values, or failure. */
        void settle(int forAttempt, List<Object> values, Throwable failure) {
            synchronized (this) {
                if (settled || forAttempt != attempt) {
                    return;
                }
                settled = true;
                cancelTimeout();
            }
            inFlight.remove(this);
            job.chunkSettled(this, values, failure);
        }

        /** Cancels the chunk: returns the future to cancel, if it was dispatched and not settled. */
        boolean cancel(boolean mayInterrupt) {
            Future<byte[]> running;
            synchronized (this) {
                if (settled) {
                    return false;
                }
                settled = true;
                cancelTimeout();
                running = future;
            }
            inFlight.remove(this);
            if (running != null) {
                cancelQuietly(running, mayInterrupt);
            }
            return true;
        }
    }

    /** A submission: its chunks and how their answers make the caller's result. */
    private abstract class Job {
        final List<Chunk> chunks = new ArrayList<>();
        final AtomicBoolean finished = new AtomicBoolean();

        Job(List<ChunkTask> tasks, int[] sizes) {
            for (int i = 0; i < tasks.size(); i++) {
                chunks.add(new Chunk(this, i, tasks.get(i), sizes[i]));
            }
        }

        abstract void chunkSettled(Chunk chunk, List<Object> values, Throwable failure);

        /** Every chunk answered (or there were none). */
        abstract void allDone();

        /** Cancels what is not settled; returns whether this call finished the job. */
        boolean cancel(boolean mayInterrupt) {
            for (Chunk chunk : chunks) {
                chunk.cancel(mayInterrupt);
            }
            return cancelled();
        }

        abstract boolean cancelled();

        void ended() {
            activeJobs.remove(this);
            synchronized (stateLock) {
                stateLock.notifyAll();
            }
        }
    }

    private final class MapJob extends Job {
        final ClusterResult<Object> result = new ClusterResult<>(this::cancel);
        final Consumer<? super List<Object>> callback;
        final Consumer<? super Throwable> errorCallback;
        final boolean single;
        final Object[][] answers;
        final AtomicInteger remaining;

        MapJob(List<ChunkTask> tasks, int[] sizes, Consumer<? super List<Object>> callback,
               Consumer<? super Throwable> errorCallback, boolean single) {
            super(tasks, sizes);
            this.callback = callback;
            this.errorCallback = errorCallback;
            this.single = single;
            this.answers = new Object[tasks.size()][];
            this.remaining = new AtomicInteger(tasks.size());
        }

        @Override
        void chunkSettled(Chunk chunk, List<Object> values, Throwable failure) {
            if (failure != null) {
                finish(null, failure);
                return;
            }
            answers[chunk.index] = values.toArray();
            if (remaining.decrementAndGet() == 0) {
                allDone();
            }
        }

        @Override
        void allDone() {
            List<Object> all = new ArrayList<>();
            for (Object[] answer : answers) {
                all.addAll(Arrays.asList(answer));
            }
            finish(all, null);
        }

        private void finish(List<Object> values, Throwable failure) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            runOnCallbackThread(() -> {
                try {
                    if (failure == null && callback != null) {
                        callback.accept(values);
                    } else if (failure != null && errorCallback != null) {
                        errorCallback.accept(failure);
                    }
                } catch (RuntimeException | Error callbackFailed) {
                    Thread self = Thread.currentThread();
                    self.getUncaughtExceptionHandler().uncaughtException(self, callbackFailed);
                }
                if (failure != null) {
                    result.fail(failure);
                } else {
                    result.resolve(single ? values.get(0) : values);
                }
                ended();
            });
        }

        @Override
        boolean cancelled() {
            if (!finished.compareAndSet(false, true)) {
                return false;
            }
            boolean done = result.resolveCancelled();
            ended();
            return done;
        }
    }

    private final class IMapJob extends Job {
        final ClusterResultIterator<?> iterator;
        final AtomicInteger remaining;

        IMapJob(List<ChunkTask> tasks, int[] sizes, ClusterResultIterator<?> iterator) {
            super(tasks, sizes);
            this.iterator = iterator;
            this.remaining = new AtomicInteger(tasks.size());
        }

        @Override
        void chunkSettled(Chunk chunk, List<Object> values, Throwable failure) {
            iterator.deliver(chunk.index, failure == null ? values
                    : new CompletionException(String.valueOf(failure), failure));
            if (remaining.decrementAndGet() == 0) {
                allDone();
            }
        }

        @Override
        void allDone() {
            if (finished.compareAndSet(false, true)) {
                ended();
            }
        }

        @Override
        boolean cancelled() {
            return false; // cancel() below delivers a CancellationException in place of each chunk
        }

        @Override
        boolean cancel(boolean mayInterrupt) {
            for (Chunk chunk : chunks) {
                if (chunk.cancel(mayInterrupt)) {
                    iterator.deliver(chunk.index, new CancellationException("cancelled: the pool was terminated"));
                }
            }
            if (finished.compareAndSet(false, true)) {
                ended();
                return true;
            }
            return false;
        }
    }

    private void runOnCallbackThread(Runnable action) {
        try {
            callbackThread.execute(action);
        } catch (java.util.concurrent.RejectedExecutionException poolGone) {
            action.run();
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
        if (timer != null) {
            timer.shutdownNow();
        }
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
        return "ClusterPool[members=" + members.length + ", processes=" + processes + "]";
    }
}
