package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A map that lives in a {@link Manager}'s server (Python's {@code DictProxy}), usable from any
 * process that has this proxy. It keeps insertion order, as a Python dict does. Every method is
 * one round trip to the server and is atomic there ({@code putIfAbsent} included). Keys and
 * values travel by value, as in Python.
 *
 * <p>{@link #entrySet()}, {@link #keySet()} and {@link #values()} are <em>snapshots</em>: taken
 * in one round trip, unmodifiable, and not updated afterwards (Python's views are live; a live
 * view here would cost a round trip per step). Change the map through its own methods; the
 * default methods {@code Map} builds on them ({@code compute}, {@code merge}, {@code replaceAll},
 * ...) work, but are several round trips and not atomic ({@code putIfAbsent} is atomic).
 *
 * <p>{@link #close()} gives this proxy's reference back at once; one that is simply dropped is
 * released later by the garbage collector. The object is freed once no process holds a proxy.
 */
public final class DictProxy<K, V> extends AbstractMap<K, V> implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    DictProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return (V) handle.call("get", key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getOrDefault(Object key, V defaultValue) {
        return (V) handle.call("getOrDefault", key, defaultValue);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        return (V) handle.call("put", key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        return (V) handle.call("putIfAbsent", key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        return (V) handle.call("remove", key);
    }

    @Override
    public boolean containsKey(Object key) {
        return (Boolean) handle.call("containsKey", key);
    }

    @Override
    public boolean containsValue(Object value) {
        return (Boolean) handle.call("containsValue", value);
    }

    /** Puts all of {@code entries} in one round trip (Python's {@code update}). */
    @Override
    public void putAll(Map<? extends K, ? extends V> entries) {
        handle.call("putAll", new LinkedHashMap<>(entries));
    }

    @Override
    public int size() {
        return (Integer) handle.call("size");
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public void clear() {
        handle.call("clear");
    }

    /** The map as it is now, as a local {@code LinkedHashMap} (Python's {@code dict.copy()}). */
    @SuppressWarnings("unchecked")
    public Map<K, V> copy() {
        return (Map<K, V>) handle.call("copy");
    }

    /** A snapshot of the entries (one round trip), unmodifiable; see the class comment. */
    @Override
    public Set<Entry<K, V>> entrySet() {
        return Collections.unmodifiableMap(copy()).entrySet();
    }

    /** A snapshot of the keys (one round trip), unmodifiable; see the class comment. */
    @Override
    public Set<K> keySet() {
        return Collections.unmodifiableSet(copy().keySet());
    }

    /** A snapshot of the values (one round trip), unmodifiable; see the class comment. */
    @Override
    public Collection<V> values() {
        return Collections.unmodifiableCollection(copy().values());
    }

    /** As a local map prints: {@code {a=1, b=2}}. */
    @Override
    public String toString() {
        return (String) handle.call("toString");
    }

    /** Equal to any map with the same entries, as {@link Map#equals} says (compared with a snapshot). */
    @Override
    public boolean equals(Object other) {
        return other == this || copy().equals(other);
    }

    @Override
    public int hashCode() {
        return (Integer) handle.call("hashCode");
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
