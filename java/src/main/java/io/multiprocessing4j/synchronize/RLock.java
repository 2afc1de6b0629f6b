package io.multiprocessing4j.synchronize;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.RobustMutex;
import io.multiprocessing4j.internal.sync.ThisProcess;
import java.io.ObjectStreamException;

/**
 * A re-entrant lock shared between processes: Python's {@code multiprocessing.RLock}.
 *
 * <p>It is owned by one thread of one process at a time; that thread may acquire it again, and must
 * release it as many times. A release by any other thread or process throws
 * {@link IllegalMonitorStateException}.
 */
public final class RLock extends ProcessLock {
    private static final long serialVersionUID = 1L;

    /** A new, unlocked lock. */
    public RLock() {
        this(Segment.createAnonymous(SIZE, "RLock"));
    }

    private RLock(Segment segment) {
        super(segment);
    }

    @Override
    boolean tryAcquireNow() {
        segment.checkOpen();
        long thread = ThisProcess.threadId();
        if (INT.compareAndSet(buffer, WORD, 0, ThisProcess.PID)) {
            becomeOwner(thread, 1);
            return true;
        }
        if (isOwner(thread)) {
            int count = (int) INT.getOpaque(buffer, COUNT);
            if (count == Integer.MAX_VALUE) {
                throw new Error("Maximum lock count exceeded");
            }
            INT.setOpaque(buffer, COUNT, count + 1);
            return true;
        }
        return false;
    }

    @Override
    boolean acquireWaiting(long timeoutNanos, boolean interruptible) throws InterruptedException {
        int result = mutex.acquire(timeoutNanos, interruptible);
        if (result == RobustMutex.TIMED_OUT) {
            return false;
        }
        becomeOwner(ThisProcess.threadId(), 1);
        if (result < 0) {
            throw new OwnerDiedException(-result, "RLock");
        }
        return true;
    }

    @Override
    public void release() {
        segment.checkOpen();
        if (!isOwner(ThisProcess.threadId())) {
            throw new IllegalMonitorStateException("attempt to release recursive lock not owned by thread");
        }
        int count = (int) INT.getOpaque(buffer, COUNT);
        if (count > 1) {
            INT.setOpaque(buffer, COUNT, count - 1);
            return;
        }
        giveUp();
    }

    @Override
    public boolean isHeldByCurrentThread() {
        segment.checkOpen();
        return isOwner(ThisProcess.threadId());
    }

    /** How many times the calling thread holds the lock (0 if it does not). */
    public int getHoldCount() {
        segment.checkOpen();
        return isOwner(ThisProcess.threadId()) ? (int) INT.getOpaque(buffer, COUNT) : 0;
    }

    @Override
    int releaseFully() {
        if (!isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("attempt to release recursive lock not owned by thread");
        }
        int count = (int) INT.getOpaque(buffer, COUNT);
        giveUp();
        return count;
    }

    /** Also when taking the lock over from a dead holder (OwnerDiedException): the count is restored either way. */
    @Override
    void reacquire(int saved) {
        try {
            lock();
        } finally {
            if (isOwner(ThisProcess.threadId())) {
                INT.setOpaque(buffer, COUNT, saved);
            }
        }
    }

    /**
     * Whether {@code thread} of this process owns the lock. The owner fields beside the word are
     * written only by the owner, after taking the word and before giving it back, so another thread
     * can never see its own id there unless it is the owner.
     */
    private boolean isOwner(long thread) {
        return ((int) INT.getVolatile(buffer, WORD) & RobustMutex.PID_MASK) == ThisProcess.PID
                && (long) LONG.getOpaque(buffer, OWNER_THREAD) == thread;
    }

    private void becomeOwner(long thread, int count) {
        LONG.setOpaque(buffer, OWNER_THREAD, thread);
        INT.setOpaque(buffer, COUNT, count);
    }

    private void giveUp() {
        INT.setOpaque(buffer, COUNT, 0);
        LONG.setOpaque(buffer, OWNER_THREAD, 0L);
        mutex.release();
    }

    private Object readResolve() throws ObjectStreamException {
        return new RLock(segment);
    }
}
