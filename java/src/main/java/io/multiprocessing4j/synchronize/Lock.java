package io.multiprocessing4j.synchronize;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.RobustMutex;
import io.multiprocessing4j.internal.sync.ThisProcess;
import java.io.ObjectStreamException;

/**
 * A non-recursive lock shared between processes: Python's {@code multiprocessing.Lock}.
 *
 * <p>Any thread of any process may release a held {@code Lock} (as in Python); releasing one that is
 * not held throws {@link IllegalMonitorStateException} ("semaphore or lock released too many
 * times"). A thread that acquires a {@code Lock} it already holds waits for ever (or times out).
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * ChildProcess child = new ChildProcess(() -> work(lock));   // the child shares the lock
 * }</pre>
 */
public final class Lock extends ProcessLock {
    private static final long serialVersionUID = 1L;

    /** A new, unlocked lock. */
    public Lock() {
        this(Segment.createAnonymous(SIZE, "Lock"));
    }

    private Lock(Segment segment) {
        super(segment);
    }

    @Override
    boolean tryAcquireNow() {
        segment.checkOpen();
        if (INT.compareAndSet(buffer, WORD, 0, ThisProcess.PID)) {
            LONG.setOpaque(buffer, OWNER_THREAD, ThisProcess.threadId());
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
        LONG.setOpaque(buffer, OWNER_THREAD, ThisProcess.threadId());
        if (result < 0) {
            throw new OwnerDiedException(-result, "Lock");
        }
        return true;
    }

    @Override
    public void release() {
        segment.checkOpen();
        LONG.setOpaque(buffer, OWNER_THREAD, 0L);
        if (mutex.release() == 0) {
            throw new IllegalMonitorStateException("semaphore or lock released too many times");
        }
    }

    @Override
    public boolean isHeldByCurrentThread() {
        segment.checkOpen();
        return ((int) INT.getVolatile(buffer, WORD) & RobustMutex.PID_MASK) == ThisProcess.PID
                && (long) LONG.getOpaque(buffer, OWNER_THREAD) == ThisProcess.threadId();
    }

    @Override
    int releaseFully() {
        release();
        return 1;
    }

    @Override
    void reacquire(int saved) {
        lock();
    }

    private Object readResolve() throws ObjectStreamException {
        return new Lock(segment);
    }
}
