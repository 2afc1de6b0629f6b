package io.multiprocessing4j.hazelcast;

import java.util.concurrent.TimeUnit;

/**
 * How many chunks go in one Hazelcast task: as many as fill about a millisecond of a member's
 * time, by what members reported for the same call (or, for a new call, for the same function
 * answered last), within a fair share of what waits; one chunk while nothing is known, and always
 * one under a task timeout (a chunk's time is then its own).
 */
final class BatchSizing {
    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_ITEMS = 4096;
    private static final int MAX_CHUNKS = 1024;

    private final boolean single;
    private volatile LastRun lastRun;

    /** @param single one chunk per batch, always (a pool with a task timeout) */
    BatchSizing(boolean single) {
        this.single = single;
    }

    /** How many items a batch starting with a chunk of {@code job} may carry; 0: that chunk only. */
    long itemBudget(Job job) {
        if (single) {
            return 0;
        }
        long perItem = job.nanosPerItem();
        LastRun last = lastRun;
        if (perItem < 0 && last != null && last.function == job.function) {
            perItem = last.nanosPerItem; // a new call of the function just measured (an applyAsync in a loop)
        }
        return perItem < 0 ? 0 : Math.min(MAX_ITEMS, BATCH_NANOS / Math.max(1, perItem));
    }

    /** How many chunks a batch may carry when {@code waiting} wait for {@code slots} places in flight. */
    static int maxChunks(int waiting, int slots) {
        // leave every member's window a share of what waits, so that the last batches spread too
        return Math.min(MAX_CHUNKS, Math.max(1, waiting / Math.max(1, slots)));
    }

    /**
     * Whether chunks of these jobs may share a batch: one job's, or several calls of the same
     * function (a lambda that captures nothing has the same bytes, by reference, in every call).
     */
    static boolean sameWork(Job a, Job b) {
        return a == b || (a.function == b.function && a.kind == b.kind);
    }

    /** A batch of {@code job}'s function took {@code nanos} for {@code items} on its member. */
    void observed(Job job, long nanos, int items) {
        job.observed(nanos, items);
        lastRun = new LastRun(job.function, job.nanosPerItem());
    }

    /** The function of the batch answered last, and its time per item there. */
    private static final class LastRun {
        final byte[] function;
        final long nanosPerItem;

        LastRun(byte[] function, long nanosPerItem) {
            this.function = function;
            this.nanosPerItem = nanosPerItem;
        }
    }
}
