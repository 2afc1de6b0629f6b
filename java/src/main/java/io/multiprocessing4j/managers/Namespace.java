package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import java.io.Serializable;
import java.util.Map;

/**
 * Named attributes that live in a {@link Manager}'s server (Python's {@code Namespace} proxy:
 * {@code ns.x = 1} is {@code ns.set("x", 1)}, {@code ns.x} is {@code ns.get("x")}), usable from
 * any process that has this proxy. Each call is one round trip. Values travel by value: changing
 * a list got from {@code get} does not change the attribute until it is {@code set} again (the
 * same surprise as in Python).
 */
public final class Namespace implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    Namespace(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    /**
     * The value of attribute {@code name}; a {@link java.util.NoSuchElementException} if it was
     * never set (Python's {@code AttributeError}).
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        return (T) handle.call("get", name);
    }

    /** Sets attribute {@code name} to {@code value} ({@code ns.name = value}). */
    public void set(String name, Object value) {
        handle.call("set", name, value);
    }

    /** Whether attribute {@code name} is set ({@code hasattr}). */
    public boolean has(String name) {
        return (Boolean) handle.call("contains", name);
    }

    /** Removes attribute {@code name} ({@code del ns.name}); a {@link java.util.NoSuchElementException} if not set. */
    public void delete(String name) {
        handle.call("delete", name);
    }

    /** The attributes as they are now, in the order they were first set, as a local map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return (Map<String, Object>) handle.call("copy");
    }

    /** As Python prints a namespace: {@code Namespace(x=1, y=hello)}. */
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
