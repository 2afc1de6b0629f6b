package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * An {@code Array} that lives in a {@link Manager}'s server (Python's {@code m.Array(typecode,
 * sequence)}): a fixed number of elements of one type, as a {@link List} whose size cannot
 * change ({@code add} and {@code remove} throw {@link UnsupportedOperationException}, as for
 * {@code Arrays.asList}). Storing an element of another type throws {@link ClassCastException},
 * as Python's typecode makes it a {@code TypeError}. Every call is a round trip; use
 * {@link #copy()} to read it all at once.
 */
public final class ArrayProxy<E> extends AbstractList<E> implements RandomAccess, Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    ArrayProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        return (E) handle.call("get", index);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E set(int index, E element) {
        return (E) handle.call("set", index, element);
    }

    @Override
    public int size() {
        return (Integer) handle.call("size");
    }

    /** The elements as they are now, as a local list (Python's {@code arr[:]}). */
    @SuppressWarnings("unchecked")
    public List<E> copy() {
        return (List<E>) handle.call("copy");
    }

    /** Walks a snapshot (one round trip). */
    @Override
    public Iterator<E> iterator() {
        return Collections.unmodifiableList(copy()).iterator();
    }

    @Override
    public Object[] toArray() {
        return copy().toArray();
    }

    @Override
    public <T> T[] toArray(T[] array) {
        return copy().toArray(array);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || copy().equals(other);
    }

    @Override
    public int hashCode() {
        return (Integer) handle.call("hashCode");
    }

    /** {@code Array(Integer, [1, 2, 3])}. */
    @Override
    public String toString() {
        return (String) handle.call("toString");
    }

    /** Gives this proxy's reference back now (idempotent). */
    @Override
    public void close() {
        handle.close();
    }

    private Object writeReplace() {
        return new ProxyToken(handle);
    }
}
