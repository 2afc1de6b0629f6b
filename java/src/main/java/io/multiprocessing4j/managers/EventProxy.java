package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import java.io.Serializable;
import java.time.Duration;

/**
 * An {@code Event} that lives in a {@link Manager}'s server (Python's {@code m.Event()}): a flag
 * that threads of any process wait to see set. A wait uses a connection of the thread's own, is
 * one request whatever its timeout, and ends at once on an interrupt with an
 * {@link InterruptedException} (the server's wait is cancelled).
 */
public final class EventProxy implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    EventProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    /** Whether the flag is set (Python's {@code is_set()}). */
    public boolean isSet() {
        return (Boolean) handle.call("isSet");
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        handle.call("set");
    }

    /** Clears the flag. */
    public void clear() {
        handle.call("clear");
    }

    /** Waits until the flag is set (Python's {@code wait()}); answers true. */
    public boolean await() throws InterruptedException {
        handle.callWaiting("wait", -1, true);
        return true;
    }

    /** Waits at most {@code timeout} for the flag; answers whether it is set (Python's {@code wait(timeout)}). */
    public boolean await(Duration timeout) throws InterruptedException {
        return !ProxyHandle.timedOut(handle.callWaiting("wait", Proxies.nanos(timeout), true));
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
