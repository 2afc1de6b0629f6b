package io.multiprocessing4j.internal.queue;

import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.time.Durations;
import java.nio.ByteBuffer;

/**
 * JoinableQueue's count of unfinished tasks, shared by every process using the queue: raised by
 * each put before the message is handed on (so a message in a producer's local buffer counts, as in
 * Python), lowered by {@code taskDone()}, and waited for by {@code join()}.
 *
 * <p>One 64-bit word changed with atomic instructions, never under the ring's lock: no process can
 * be killed half-way through an update. What a kill can do is what it does in Python: a consumer
 * killed between {@code get} and {@code taskDone} leaves its task unfinished for good, and so does a
 * producer killed with messages still in its local buffer.
 */
public final class TaskCounter {
    private final ByteBuffer buffer;
    private final int offset;
    private final WakeupWord allDone;

    TaskCounter(ByteBuffer buffer, int offset, WakeupWord allDone) {
        this.buffer = buffer;
        this.offset = offset;
        this.allDone = allDone;
    }

    /** Counts a task put. */
    public void added() {
        LONG.getAndAdd(buffer, offset, 1L);
    }

    /** Takes back {@code count} tasks (a put that failed, messages cleared away). */
    public void withdrawn(long count) {
        if (count > 0 && (long) LONG.getAndAdd(buffer, offset, -count) == count) {
            allDone.wakeAll();
        }
    }

    /**
     * Python's {@code task_done()}: one task finished. More calls than tasks put is an
     * {@link IllegalStateException}, and changes nothing.
     */
    public void done() {
        long unfinished = (long) LONG.getVolatile(buffer, offset);
        while (true) {
            if (unfinished <= 0) {
                throw new IllegalStateException("taskDone() called too many times");
            }
            long witness = (long) LONG.compareAndExchange(buffer, offset, unfinished, unfinished - 1);
            if (witness == unfinished) {
                break;
            }
            unfinished = witness;
        }
        if (unfinished == 1) {
            allDone.wakeAll();
        }
    }

    /** Tasks put and not yet done. */
    public long unfinished() {
        return (long) LONG.getVolatile(buffer, offset);
    }

    /**
     * Waits until no task is unfinished, at most {@code timeoutNanos} (negative: no limit); false if
     * the time ran out.
     */
    public boolean awaitAllDone(long timeoutNanos) throws InterruptedException {
        long deadline = Durations.deadline(timeoutNanos);
        while (true) {
            if (unfinished() <= 0) {
                return true;
            }
            int prepared = allDone.prepareToSleep();
            if (unfinished() <= 0) {
                return true;
            }
            long sleep = MessageRing.untilDeadline(timeoutNanos, deadline);
            if (timeoutNanos >= 0 && sleep <= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            allDone.sleep(prepared, sleep);
        }
    }
}
