package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import java.io.Serializable;

/**
 * One value of any serializable type that lives in a {@link Manager}'s server (Python's
 * {@code Manager().Value(typecode, value)}, whose typecode is unused there; here the type is
 * {@code T}; {@link Manager#value(Class, Object)} also enforces it in the server). Each call is
 * one round trip. Unlike {@code sharedctypes}' values, there is no lock
 * to take: {@code get} then {@code set} from two processes can lose an update, as in Python.
 */
public final class ValueProxy<T> implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    ValueProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    /** The value ({@code v.value}). */
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) handle.call("get");
    }

    /** Sets the value ({@code v.value = x}). */
    public void set(T value) {
        handle.call("set", value);
    }

    /** {@code Value(x)}. */
    @Override
    public String toString() {
        return (String) handle.call("toString");
    }

    /** Gives this proxy's reference back now (idempotent); the proxy cannot be used after. */
    @Override
    public void close() {
        handle.close();
    }

    private Object writeReplace() {
        return new ProxyToken(handle);
    }
}
