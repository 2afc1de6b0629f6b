package io.multiprocessing4j.synchronize;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.RobustMutex;
import io.multiprocessing4j.internal.time.Durations;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Lock} and {@link RLock} have in common: a lock usable by every process it is handed
 * to, in Python's vocabulary ({@code acquire}, {@code release}) and as a
 * {@link java.util.concurrent.locks.Lock}. Anything that accepts "a Lock or an RLock" in Python
 * (a {@code Condition}, a shared value's lock) accepts a {@code ProcessLock}.
 *
 * <p>Its state is a {@link RobustMutex} word in shared memory; the uncontended acquire and release
 * are one atomic instruction each, in Java.
 */
public abstract sealed class ProcessLock implements java.util.concurrent.locks.Lock, AutoCloseable, Serializable
        permits Lock, RLock {
    private static final long serialVersionUID = 1L;

    /** Layout of the segment: the mutex word, then the holding thread and (RLock) the count. */
    static final int WORD = 0;
    static final int OWNER_THREAD = 8;
    static final int COUNT = 16;
    static final int SIZE = 24;

    final Segment segment;
    final transient ByteBuffer buffer;
    final transient RobustMutex mutex;

    ProcessLock(Segment segment) {
        this.segment = segment;
        this.buffer = segment.buffer();
        this.mutex = new RobustMutex(buffer, WORD);
    }

    /** Takes the lock if it is free (or, for an RLock, already ours); never waits. */
    abstract boolean tryAcquireNow();

    /** Takes the lock, waiting at most {@code timeoutNanos} (negative: no limit); false on timeout. */
    abstract boolean acquireWaiting(long timeoutNanos, boolean interruptible) throws InterruptedException;

    /** Releases the lock completely (whatever an RLock's count) and returns what to restore. */
    abstract int releaseFully();

    /** Takes the lock again after {@link #releaseFully()}, uninterruptibly, restoring {@code saved}. */
    abstract void reacquire(int saved);

    /**
     * Releases the lock. Python's exceptions: releasing a {@link Lock} that is not held, or an
     * {@link RLock} this thread does not hold, throws {@link IllegalMonitorStateException}.
     */
    public abstract void release();

    /** Whether the calling thread holds the lock. */
    public abstract boolean isHeldByCurrentThread();

    /** Blocks until the lock is taken. */
    public final boolean acquire() throws InterruptedException {
        lockInterruptibly();
        return true;
    }

    /** Python's {@code acquire(block)}: with {@code block} false, takes the lock only if that needs no wait. */
    public final boolean acquire(boolean block) throws InterruptedException {
        if (block) {
            return acquire();
        }
        return tryLock();
    }

    /**
     * Python's {@code acquire(timeout=...)}: waits at most {@code timeout} (a negative one counts as
     * zero); false if the lock was not taken.
     */
    public final boolean acquire(Duration timeout) throws InterruptedException {
        return tryLock(Durations.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Takes the lock for a try-with-resources block (Python's {@code with lock:}); like
     * {@link #lock()}, the wait is not interruptible.
     * <pre>{@code
     * try (var held = lock.hold()) {
     *     counter.set(counter.get() + 1);
     * }
     * }</pre>
     */
    public final Held hold() {
        lock();
        return new Held(this::release);
    }

    /** Waits as long as it takes; an interrupt does not end the wait and stays pending. */
    @Override
    public final void lock() {
        if (tryAcquireNow()) {
            return;
        }
        try {
            acquireWaiting(-1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible acquire was interrupted", impossible);
        }
    }

    @Override
    public final void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!tryAcquireNow()) {
            acquireWaiting(-1, true);
        }
    }

    @Override
    public final boolean tryLock() {
        return tryAcquireNow();
    }

    /**
     * Waits at most {@code time} (a negative time counts as zero) for the lock; an interrupted thread
     * gets InterruptedException at once, even if the lock is free, as with {@code ReentrantLock}.
     */
    @Override
    public final boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return tryAcquireNow() || acquireWaiting(Durations.toNanos(time, unit), true);
    }

    @Override
    public final void unlock() {
        release();
    }

    /** A {@link Condition} on this lock (Python's {@code Condition(lock)}). */
    @Override
    public Condition newCondition() {
        return new Condition(this);
    }

    /**
     * Releases this process's hold on the lock's shared memory; afterwards its methods throw
     * {@link IllegalStateException}. Other processes keep using it. Closing does not release a
     * held lock.
     */
    @Override
    public void close() {
        segment.close();
    }

    /** The pid of the holding process, or 0 when the lock is free. */
    public final long holderPid() {
        segment.checkOpen();
        return mutex.holder();
    }

    @Override
    public String toString() {
        if (segment.isClosed()) {
            return getClass().getSimpleName() + "[closed]";
        }
        int holder = mutex.holder();
        return getClass().getSimpleName() + (holder == 0 ? "[unlocked]" : "[held by pid " + holder + "]");
    }

    /** Something held (a lock, a semaphore's unit), given back by {@link #close()}, once. */
    public static final class Held implements AutoCloseable {
        private Runnable release;

        Held(Runnable release) {
            this.release = release;
        }

        @Override
        public void close() {
            Runnable giveBack = release;
            if (giveBack != null) {
                release = null;
                giveBack.run();
            }
        }
    }
}
