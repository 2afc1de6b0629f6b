package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.manager.SharedKind;
import java.io.Serializable;
import java.time.Duration;

/**
 * A {@code Semaphore} or {@code BoundedSemaphore} that lives in a {@link Manager}'s server
 * (Python's {@code m.Semaphore(value)} and {@code m.BoundedSemaphore(value)}). Any thread of any
 * process may release; releasing a bounded one above its initial value throws
 * {@link IllegalStateException}. A unit taken by a process that dies is not given back (a
 * semaphore has no owner). Waits use a connection of the thread's own, are one request whatever
 * their timeout, and end at once on an interrupt (the server's wait is cancelled; a unit taken
 * as the interrupt came is kept, with the interrupt status set).
 */
public final class SemaphoreProxy implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    SemaphoreProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    /** Whether this is a {@code BoundedSemaphore}. */
    public boolean isBounded() {
        return handle.kind() == SharedKind.BOUNDED_SEMAPHORE;
    }

    /** Takes a unit, waiting as long as it takes (Python's {@code acquire()}); interruptible. */
    public boolean acquire() throws InterruptedException {
        handle.callWaiting("acquire", -1, true);
        return true;
    }

    /** Python's {@code acquire(block)}: with {@code block} false, takes a unit only if one is free. */
    public boolean acquire(boolean block) throws InterruptedException {
        return block ? acquire() : tryAcquire();
    }

    /** Waits at most {@code timeout} for a unit; false if none was taken. */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return !ProxyHandle.timedOut(handle.callWaiting("acquire", Proxies.nanos(timeout), true));
    }

    /** Takes a unit if one is free now. */
    public boolean tryAcquire() {
        return !ProxyHandle.timedOut(handle.callWaitingUninterruptibly("acquire", 0));
    }

    /** Gives a unit back (Python's {@code release()}). */
    public void release() {
        handle.call("release");
    }

    /** The number of units free now (Python's {@code get_value()}). */
    public int getValue() {
        return (Integer) handle.call("getValue");
    }

    /** Takes a unit for a try-with-resources block, which gives it back; not interruptible. */
    public LockProxy.Held hold() {
        handle.callWaitingUninterruptibly("acquire", -1);
        return new LockProxy.Held(this::release);
    }

    /** Gives this proxy's reference back now (idempotent). */
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
}
