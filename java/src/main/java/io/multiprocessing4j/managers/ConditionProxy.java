package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.time.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@code Condition} that lives in a {@link Manager}'s server (Python's {@code m.Condition()}),
 * also a {@link java.util.concurrent.locks.Condition}. Its lock is a new RLock of the server, or
 * the {@link LockProxy} it was made from ({@link LockProxy#newCondition()}); waiting and
 * notifying require holding it, or throw {@link IllegalMonitorStateException}. Python's
 * {@code wait(timeout)}, {@code wait_for}, {@code notify(n)} and {@code notify_all()} are
 * {@link #await(Duration)}, {@link #waitFor}, {@link #signal(int)} and {@link #signalAll()}.
 *
 * <p>A wait releases the lock, waits for a notify on a connection of the thread's own, and takes
 * the lock back before it returns or throws (also after an interrupt, which ends the wait for a
 * notify at once). A waiter whose process dies leaves the waiters, and gives the lock back if it held it.
 */
public final class ConditionProxy implements java.util.concurrent.locks.Condition, Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    ConditionProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    /** Takes the condition's lock, waiting as long as it takes; interruptible. */
    public boolean acquire() throws InterruptedException {
        handle.callWaiting("acquire", -1, true);
        return true;
    }

    /** Takes the condition's lock, waiting at most {@code timeout}; false if it was not taken. */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return !ProxyHandle.timedOut(handle.callWaiting("acquire", Proxies.nanos(timeout), true));
    }

    /** Releases the condition's lock. */
    public void release() {
        handle.call("release");
    }

    /** Takes the lock for a try-with-resources block ({@code with cond:}); not interruptible. */
    public LockProxy.Held hold() {
        handle.callWaitingUninterruptibly("acquire", -1);
        return new LockProxy.Held(this::release);
    }

    @Override
    public void await() throws InterruptedException {
        awaitFor(-1, true);
    }

    /** Python's {@code wait(timeout)}: false if the time ran out before a notify. */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitFor(Proxies.nanos(timeout), true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitFor(Durations.toNanos(time, unit), true);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        awaitFor(Math.max(0, nanosTimeout), true);
        return nanosTimeout - (System.nanoTime() - start);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitFor(-1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible wait was interrupted", impossible);
        }
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitFor(Durations.toNanos(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS), true);
    }

    /** Python's {@code wait_for(predicate)}: waits until {@code predicate} (evaluated here, holding the lock) is true. */
    public boolean waitFor(BooleanSupplier predicate) throws InterruptedException {
        while (!predicate.getAsBoolean()) {
            await();
        }
        return true;
    }

    /** Python's {@code wait_for(predicate, timeout)}: answers the predicate's last value. */
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Proxies.nanos(timeout);
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            awaitFor(left, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    private boolean awaitFor(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        long ticket = (Long) handle.call("beginWait");
        InterruptedException interrupted = null;
        try {
            handle.callWaiting("awaitNotify", timeoutNanos, interruptible, ticket);
        } catch (InterruptedException e) {
            interrupted = e;
        }
        // leaves the waiters and takes the lock back, whatever happened: a holder called await
        boolean notified = (Boolean) handle.callWaitingUninterruptibly("endWait", -1, ticket);
        if (interrupted != null) {
            if (notified) {
                // notified as the interrupt came: returning keeps the notify from being lost
                // (another waiter would not get it), as the JDK's conditions do
                Thread.currentThread().interrupt();
                return true;
            }
            throw interrupted;
        }
        return notified;
    }

    /** Wakes one waiter (Python's {@code notify()}). */
    @Override
    public void signal() {
        signal(1);
    }

    /** Wakes up to {@code n} waiters (Python's {@code notify(n)}). */
    public void signal(int n) {
        handle.call("notify", n);
    }

    /** Wakes every waiter (Python's {@code notify_all()}). */
    @Override
    public void signalAll() {
        handle.call("notify", Integer.MAX_VALUE);
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
