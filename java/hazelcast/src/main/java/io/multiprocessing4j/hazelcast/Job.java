package io.multiprocessing4j.hazelcast;

import io.multiprocessing4j.hazelcast.internal.BatchTask.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A submission to a {@link ClusterPool} (an apply, a map, an imap): its function, its chunks, and
 * how their answers make the caller's result.
 */
abstract class Job {
    final Kind kind;
    final byte[] function;
    final List<Chunk> chunks = new ArrayList<>();
    final AtomicBoolean finished = new AtomicBoolean();
    final Dispatcher dispatcher;
    private final Executor callbackThread;
    private final Consumer<Job> ended;
    /**
     * The members' time per item so far, in nanoseconds (-1: not known yet): the dispatcher sends
     * several chunks in one batch only when they are known to be short.
     */
    private volatile long nanosPerItem = -1;

    Job(Kind kind, byte[] function, List<byte[]> encodedChunks, int[] sizes, Dispatcher dispatcher,
        Executor callbackThread, Consumer<Job> ended) {
        this.kind = kind;
        this.function = function;
        this.dispatcher = dispatcher;
        this.callbackThread = callbackThread;
        this.ended = ended;
        for (int i = 0; i < encodedChunks.size(); i++) {
            chunks.add(new Chunk(this, i, encodedChunks.get(i), sizes[i]));
        }
    }

    /** A chunk's answer: its values, or its failure. Called once per chunk, by the dispatcher. */
    abstract void chunkSettled(Chunk chunk, List<Object> values, Throwable failure);

    /** Every chunk answered (or there were none). */
    abstract void allDone();

    /** Cancels what is not settled; returns whether this call finished the job. */
    abstract boolean cancel(boolean mayInterrupt);

    long nanosPerItem() {
        return nanosPerItem;
    }

    /** A batch of {@code items} took {@code nanos} on its member. */
    void observed(long nanos, int items) {
        long perItem = Math.max(1, nanos / Math.max(1, items));
        long before = nanosPerItem;
        nanosPerItem = before < 0 ? perItem : (before * 3 + perItem) / 4; // a running mean; races only blur it
    }

    void runOnCallbackThread(Runnable action) {
        try {
            callbackThread.execute(action);
        } catch (RejectedExecutionException poolGone) {
            action.run();
        }
    }

    void ended() {
        ended.accept(this);
    }
}
