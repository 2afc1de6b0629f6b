package io.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.multiprocessing4j.hazelcast.internal.BatchAnswer;
import io.multiprocessing4j.hazelcast.internal.BatchTask;
import io.multiprocessing4j.hazelcast.internal.ChunkOutcome;
import io.multiprocessing4j.hazelcast.internal.Members;
import io.multiprocessing4j.errors.TaskTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a cluster pool's chunks to members and settles them with the answers. Chunks wait here in
 * submission order; each member has a window of a few batches in flight (twice its task threads:
 * one running, one on its way or queued, so that a member never idles waiting for the next), and a
 * free place takes the next batch. Why a window rather than sending every chunk at once: chunks
 * not yet sent can still go to whichever member frees first, a lost member takes only its window
 * with it, and a cancelled map has little to call back.
 *
 * <p>A batch is one chunk, or, once a job's items are known to be short (by the time members
 * report for its earlier batches, or for the call of the same function answered last), several
 * chunks of that job, or of calls of the same function waiting behind it, up to about a
 * millisecond of a member's time: at chunksize 1 the cost of a Hazelcast invocation (a few hundred microseconds of
 * threads and sockets at both ends) is then paid once for many tasks. Each chunk keeps its own
 * outcome. With a task timeout, batches are single chunks and windows one per thread, so that a
 * chunk's time is its own.
 *
 * <p>Answers arrive on Hazelcast's response thread, which settles the batch's chunks and sends the
 * next batch; nothing polls.
 */
final class Dispatcher {

    private final IExecutorService executor;
    private final Duration taskTimeout;
    private final ScheduledExecutorService timer;
    private final boolean rerunOnMemberLoss;
    /** Whether this thread is in {@link #pump()} already, and whether it should go round once more. */
    private final ThreadLocal<boolean[]> pumping = ThreadLocal.withInitial(() -> new boolean[2]);
    private final AtomicLong batchesSent = new AtomicLong();

    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<Chunk> waiting = new ArrayDeque<>();
    private final Set<Batch> inFlight = new LinkedHashSet<>();
    private final MemberWindows windows;
    private final BatchSizing sizing;
    private boolean rerunning = true;

    Dispatcher(HazelcastInstance hazelcast, Duration taskTimeout, boolean rerunOnMemberLoss, int processes) {
        this.executor = hazelcast.getExecutorService(Members.EXECUTOR);
        this.taskTimeout = taskTimeout;
        this.rerunOnMemberLoss = rerunOnMemberLoss;
        this.windows = new MemberWindows(processes, taskTimeout == null ? 2 : 1);
        this.sizing = new BatchSizing(taskTimeout != null);
        this.timer = taskTimeout == null ? null : Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "multiprocessing4j-cluster-pool-timeouts");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues a job's chunks and sends what the members' windows allow. */
    void submit(Job job) {
        synchronized (lock) {
            waiting.addAll(job.chunks);
        }
        pump();
    }

    /** The cluster's members now (from a membership event or at start). */
    void membersChanged(Collection<Member> current) {
        synchronized (lock) {
            windows.members(current);
        }
        pump();
    }

    /** A member left the cluster: every batch it was running is lost (the executor may not tell, or not soon). */
    void memberRemoved(Member member, Collection<Member> current) {
        List<Batch> lost = new ArrayList<>();
        synchronized (lock) {
            windows.members(current);
            windows.removed(member);
            for (Batch batch : inFlight) {
                if (batch.member.getUuid().equals(member.getUuid())) {
                    lost.add(batch);
                }
            }
        }
        for (Batch batch : lost) {
            lost(batch);
        }
        pump();
    }

    /** No more re-runs of lost chunks (the pool is terminated). */
    void stopRerunning() {
        synchronized (lock) {
            rerunning = false;
        }
    }

    void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- sending

    /** Sends batches while chunks wait and members have room; re-entered (by an answer that came at once) it only asks for one more round. */
    private void pump() {
        boolean[] state = pumping.get();
        if (state[0]) {
            state[1] = true;
            return;
        }
        state[0] = true;
        try {
            do {
                state[1] = false;
                pumpOnce();
            } while (state[1]);
        } finally {
            state[0] = false;
        }
    }

    private void pumpOnce() {
        List<Batch> ready = new ArrayList<>();
        List<Chunk> stranded = new ArrayList<>();
        synchronized (lock) {
            while (true) {
                while (!waiting.isEmpty() && waiting.peek().settled) {
                    waiting.poll(); // cancelled while it waited
                }
                if (waiting.isEmpty()) {
                    break;
                }
                Member member = windows.free();
                if (member == null) {
                    if (!windows.anyServing()) {
                        for (Chunk chunk : waiting) {
                            if (!chunk.settled) {
                                chunk.settled = true;
                                stranded.add(chunk);
                            }
                        }
                        waiting.clear();
                    }
                    break;
                }
                Batch batch = cut(member);
                windows.taken(member);
                inFlight.add(batch);
                ready.add(batch);
            }
        }
        for (Chunk chunk : stranded) {
            deliver(chunk, null, chunk.lostFrom != null ? MemberLostException.of(chunk.lostFrom)
                    : new IllegalStateException("the cluster has no member to run the task"));
        }
        for (Batch batch : ready) {
            send(batch);
        }
    }

    /** The next batch from the head of the queue, for {@code member}. Under lock. */
    private Batch cut(Member member) {
        Chunk first = waiting.poll();
        Job job = first.job;
        List<Chunk> chunks = new ArrayList<>();
        chunks.add(first);
        long itemBudget = sizing.itemBudget(job);
        if (itemBudget > 0) {
            int maxChunks = BatchSizing.maxChunks(waiting.size(), windows.slots());
            int items = first.size;
            while (chunks.size() < maxChunks && !waiting.isEmpty()) {
                Chunk next = waiting.peek();
                if (!BatchSizing.sameWork(next.job, job) || items + next.size > itemBudget) {
                    break;
                }
                waiting.poll();
                if (!next.settled) {
                    chunks.add(next);
                    items += next.size;
                }
            }
        }
        Batch batch = new Batch(job, chunks, member);
        for (Chunk chunk : chunks) {
            chunk.batch = batch;
            chunk.runs++;
        }
        return batch;
    }

    /** How many Hazelcast tasks this dispatcher has sent (for tests: batching is invisible otherwise). */
    long batchesSent() {
        return batchesSent.get();
    }

    private void send(Batch batch) {
        batchesSent.incrementAndGet();
        byte[][] items = new byte[batch.chunks.size()][];
        for (int i = 0; i < items.length; i++) {
            items[i] = batch.chunks.get(i).items;
        }
        Future<BatchAnswer> future;
        try {
            future = executor.submitToMember(new BatchTask(batch.job.kind, batch.job.function, items), batch.member);
        } catch (RuntimeException refused) {
            answered(batch, null, refused);
            return;
        }
        boolean cancelNow;
        boolean interrupt;
        synchronized (lock) {
            batch.future = future;
            cancelNow = batch.cancelWhenSent;
            interrupt = batch.interruptWhenCancelled;
            if (!cancelNow && !batch.over && timer != null) {
                long nanos = saturatedMultiply(taskTimeout.toNanos(), batch.items);
                batch.timeout = timer.schedule(() -> timedOut(batch), nanos, TimeUnit.NANOSECONDS);
            }
        }
        if (cancelNow) {
            // Hazelcast's cancel waits for the member's reply, and this may be Hazelcast's response
            // thread (sending the next batch after an answer), the one that would deliver it.
            CompletableFuture.runAsync(() -> cancelQuietly(future, interrupt));
        }
        // Hazelcast 5's futures are CompletionStages. Run on the thread that completes it: Hazelcast's
        // own default would hand each answer to a new thread on a machine of two cores.
        @SuppressWarnings("unchecked")
        CompletionStage<BatchAnswer> answer = (CompletionStage<BatchAnswer>) future;
        answer.whenCompleteAsync((value, failure) -> answered(batch, value, failure), Runnable::run);
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    // ---------------------------------------------------------------- answers

    private void answered(Batch batch, BatchAnswer answer, Throwable failure) {
        Throwable cause = failure == null ? null : unwrap(failure);
        if (cause != null && MemberLostException.isMemberLoss(cause)) {
            lost(batch);
            return;
        }
        boolean[] mine;
        synchronized (lock) {
            release(batch);
            mine = claim(batch);
        }
        if (answer != null) {
            sizing.observed(batch.job, answer.runNanos(), batch.items);
        }
        for (int i = 0; i < mine.length; i++) {
            if (!mine[i]) {
                continue;
            }
            Chunk chunk = batch.chunks.get(i);
            if (cause != null) {
                deliver(chunk, null, cause);
                continue;
            }
            ChunkOutcome outcome;
            try {
                outcome = answer.outcome(i);
            } catch (Exception | LinkageError undecodable) {
                deliver(chunk, null, new IllegalStateException("cannot decode the answer of member "
                        + Members.describe(batch.member) + ": " + undecodable, undecodable));
                continue;
            }
            deliver(chunk, outcome.values(), outcome.failure());
        }
        pump();
    }

    /** Frees the batch's place in its member's window. Under lock; idempotent. */
    private void release(Batch batch) {
        if (batch.over) {
            return;
        }
        batch.over = true;
        inFlight.remove(batch);
        windows.freed(batch.member);
        if (batch.timeout != null) {
            batch.timeout.cancel(false);
        }
    }

    /** Which of the batch's chunks this answer settles (those still waiting for it); marks them settled. Under lock. */
    private static boolean[] claim(Batch batch) {
        boolean[] mine = new boolean[batch.chunks.size()];
        for (int i = 0; i < mine.length; i++) {
            Chunk chunk = batch.chunks.get(i);
            if (!chunk.settled && chunk.batch == batch) {
                chunk.settled = true;
                mine[i] = true;
            }
        }
        return mine;
    }

    private static void deliver(Chunk chunk, List<Object> values, Throwable failure) {
        chunk.job.chunkSettled(chunk, values, failure);
    }

    /** The batch's member is gone: its chunks fail naming it, or go back to the head of the queue for one more run. */
    private void lost(Batch batch) {
        Member member = batch.member;
        List<Chunk> failed = new ArrayList<>();
        synchronized (lock) {
            release(batch);
            windows.suspect(member);
            List<Chunk> again = new ArrayList<>();
            for (Chunk chunk : batch.chunks) {
                if (chunk.settled || chunk.batch != batch) {
                    continue;
                }
                if (rerunOnMemberLoss && rerunning && chunk.runs < 2) {
                    chunk.batch = null;
                    chunk.lostFrom = member;
                    again.add(chunk);
                } else {
                    chunk.settled = true;
                    failed.add(chunk);
                }
            }
            for (int i = again.size() - 1; i >= 0; i--) {
                waiting.addFirst(again.get(i));
            }
        }
        for (Chunk chunk : failed) {
            deliver(chunk, null, MemberLostException.of(member));
        }
        pump();
    }

    /** A single-chunk batch ran out of time: it fails, and its thread on the member is interrupted. */
    private void timedOut(Batch batch) {
        Chunk chunk = batch.chunks.get(0);
        Future<BatchAnswer> future;
        synchronized (lock) {
            if (chunk.settled || chunk.batch != batch) {
                return;
            }
            chunk.settled = true;
            future = batch.future;
        }
        deliver(chunk, null, new TaskTimeoutException("the task ran longer than " + taskTimeout
                + (chunk.size > 1 ? " per item (" + chunk.size + " items)" : "") + " on member "
                + Members.describe(batch.member) + "; its thread there was interrupted", taskTimeout,
                Members.pid(batch.member)));
        cancelQuietly(future, true); // its member's place frees when the invocation ends
    }

    // ---------------------------------------------------------------- cancelling

    /** Settles every chunk of {@code job} not settled yet, cancelling the batches running them; returns those chunks. */
    List<Chunk> cancel(Job job, boolean mayInterrupt) {
        List<Chunk> cancelled = new ArrayList<>();
        Set<Batch> touched = new LinkedHashSet<>();
        Set<Future<BatchAnswer>> running = new LinkedHashSet<>();
        synchronized (lock) {
            for (Chunk chunk : job.chunks) {
                if (chunk.settled) {
                    continue;
                }
                chunk.settled = true;
                cancelled.add(chunk);
                if (chunk.batch != null && !chunk.batch.over) {
                    touched.add(chunk.batch);
                }
            }
            for (Batch batch : touched) {
                if (!allSettled(batch)) {
                    continue; // it carries other calls' chunks too: it runs on, this call's answers are dropped
                }
                if (batch.future != null) {
                    running.add(batch.future);
                } else {
                    batch.cancelWhenSent = true;
                    batch.interruptWhenCancelled |= mayInterrupt;
                }
            }
        }
        for (Future<BatchAnswer> future : running) {
            cancelQuietly(future, mayInterrupt);
        }
        return cancelled;
    }

    private static boolean allSettled(Batch batch) {
        for (Chunk chunk : batch.chunks) {
            if (!chunk.settled) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cancels an invocation; a client already shut down has nothing left to cancel. It waits for
     * the member's reply: never on a Hazelcast thread.
     */
    private static void cancelQuietly(Future<BatchAnswer> future, boolean mayInterrupt) {
        if (future == null) {
            return;
        }
        try {
            future.cancel(mayInterrupt);
        } catch (RuntimeException clientGone) {
            // the invocation ended with the client
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
