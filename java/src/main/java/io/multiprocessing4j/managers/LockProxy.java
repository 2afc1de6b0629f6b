package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.manager.SharedKind;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@code Lock} or {@code RLock} that lives in a {@link Manager}'s server (Python's
 * {@code m.Lock()} and {@code m.RLock()}), usable from any process that has this proxy, and a
 * {@link java.util.concurrent.locks.Lock}. It is held by a thread: an RLock may be taken again by
 * its holder and only the holder may release it; a Lock may be released by any thread (as in
 * Python) and a holder taking it again waits.
 *
 * <p>Beyond Python: when the process of a holder dies (killed, or it exited without releasing),
 * the server gives the lock back and a waiter gets it, where Python's manager keeps it held for
 * ever. A wait ({@link #lock()}, {@link #acquire(Duration)}, ...) uses a connection of the
 * waiting thread's own, so it never delays other threads' proxy calls, and is one request whatever
 * its timeout; {@link #lockInterruptibly()} and the timed forms end at once on an interrupt with an
 * {@link InterruptedException} (the server's wait is cancelled; a lock granted as the interrupt
 * came is held, with the interrupt status set).
 */
public final class LockProxy implements java.util.concurrent.locks.Lock, Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    LockProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    ProxyHandle handle() {
        return handle;
    }

    /** Whether this is an RLock (reentrant), not a Lock. */
    public boolean isReentrant() {
        return handle.kind() == SharedKind.RLOCK;
    }

    /** Blocks until the lock is taken (Python's {@code acquire()}); interruptible. */
    public boolean acquire() throws InterruptedException {
        lockInterruptibly();
        return true;
    }

    /** Python's {@code acquire(block)}: with {@code block} false, takes the lock only if that needs no wait. */
    public boolean acquire(boolean block) throws InterruptedException {
        return block ? acquire() : tryLock();
    }

    /** Python's {@code acquire(timeout=...)}: waits at most {@code timeout}; false if the lock was not taken. */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return tryLock(Proxies.nanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Releases the lock (Python's {@code release()}). Releasing a Lock that is not held, or an RLock
     * this thread does not hold, throws {@link IllegalMonitorStateException}.
     */
    public void release() {
        handle.call("release");
    }

    /** Waits as long as it takes; an interrupt does not end the wait and stays pending. */
    @Override
    public void lock() {
        handle.callWaitingUninterruptibly("acquire", -1);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        handle.callWaiting("acquire", -1, true);
    }

    /** Takes the lock if that needs no wait; one round trip. */
    @Override
    public boolean tryLock() {
        return !ProxyHandle.timedOut(handle.callWaitingUninterruptibly("acquire", 0));
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (time < 0) {
            throw new IllegalArgumentException("timeout must not be negative: " + time + " " + unit);
        }
        return !ProxyHandle.timedOut(handle.callWaiting("acquire", unit.toNanos(time), true));
    }

    @Override
    public void unlock() {
        release();
    }

    /**
     * Takes the lock for a try-with-resources block (Python's {@code with lock:}); like
     * {@link #lock()}, the wait is not interruptible.
     */
    public Held hold() {
        lock();
        return new Held(this::release);
    }

    /** Whether the calling thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        return (Boolean) handle.call("isHeldByCaller");
    }

    /** Whether some thread of some process holds the lock. */
    public boolean isLocked() {
        return (Boolean) handle.call("isLocked");
    }

    /** How many times the calling thread holds the lock (0 if it does not; at most 1 for a Lock). */
    public int getHoldCount() {
        return (Integer) handle.call("holdCount");
    }

    /** A new {@link ConditionProxy} on this lock, in the same manager (Python's {@code m.Condition(lock)}). */
    @Override
    public ConditionProxy newCondition() {
        return new ConditionProxy(ProxyHandle.create(handle, SharedKind.CONDITION, handle.id()));
    }

    /** Gives this proxy's reference back now (idempotent); does not release a held lock. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return (String) handle.call("toString");
    }

    private Object writeReplace() {
        return new ProxyToken(handle);
    }

    /** Something held (a lock, a semaphore's unit), given back by {@link #close()}, once. */
    public static final class Held implements AutoCloseable {
        private Runnable release;

        Held(Runnable release) {
            this.release = release;
        }

        /** Gives back what is held; later calls do nothing. */
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
