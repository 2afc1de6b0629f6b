package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A list that lives in a {@link Manager}'s server (Python's {@code ListProxy}), usable from any
 * process that has this proxy: capture it in a child's target or a pool task, or send it through
 * a connection. Every method is one round trip to the server and is atomic there, so
 * {@code add} from many processes at once loses nothing. Elements travel by value: {@code get}
 * returns a copy, and changing that copy does not change the list (as in Python).
 *
 * <p>{@link #iterator()} walks a snapshot taken in one round trip, and its {@code remove} is not
 * supported, so neither is {@code removeIf} (a predicate would have to travel to the server);
 * {@link #removeAll} and {@link #retainAll} run in the server. {@link #copy()} gives the whole
 * list as a local {@code ArrayList}. What {@code AbstractList} builds on the methods above
 * ({@code subList}, {@code listIterator}, {@code sort}, ...) works, at one round trip per element
 * touched, and is not atomic.
 *
 * <p>{@link #close()} gives this proxy's reference back at once; one that is simply dropped is
 * released later by the garbage collector. The object is freed once no process holds a proxy.
 */
public final class ListProxy<E> extends AbstractList<E> implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    ListProxy(ProxyHandle handle) {
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

    /** Appends {@code element} (Python's {@code append}). */
    @Override
    public boolean add(E element) {
        return (Boolean) handle.call("add", element);
    }

    /** Inserts {@code element} at {@code index} (Python's {@code insert}). */
    @Override
    public void add(int index, E element) {
        handle.call("insert", index, element);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E remove(int index) {
        return (E) handle.call("removeAt", index);
    }

    @Override
    public boolean remove(Object element) {
        return (Boolean) handle.call("remove", element);
    }

    /** Appends all of {@code elements} in one round trip (Python's {@code extend}). */
    @Override
    public boolean addAll(Collection<? extends E> elements) {
        return (Boolean) handle.call("addAll", new ArrayList<>(elements));
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> elements) {
        return (Boolean) handle.call("insertAll", index, new ArrayList<>(elements));
    }

    /** Removes every element equal to one of {@code elements}, in one round trip. */
    @Override
    public boolean removeAll(Collection<?> elements) {
        return (Boolean) handle.call("removeAll", new ArrayList<>(elements));
    }

    /** Keeps only the elements equal to one of {@code elements}, in one round trip. */
    @Override
    public boolean retainAll(Collection<?> elements) {
        return (Boolean) handle.call("retainAll", new ArrayList<>(elements));
    }

    @Override
    public int size() {
        return (Integer) handle.call("size");
    }

    @Override
    public void clear() {
        handle.call("clear");
    }

    @Override
    public boolean contains(Object element) {
        return (Boolean) handle.call("contains", element);
    }

    @Override
    public int indexOf(Object element) {
        return (Integer) handle.call("indexOf", element);
    }

    @Override
    public int lastIndexOf(Object element) {
        return (Integer) handle.call("lastIndexOf", element);
    }

    /** The list as it is now, as a local {@code ArrayList} (Python's {@code liste[:]}). */
    @SuppressWarnings("unchecked")
    public List<E> copy() {
        return (List<E>) handle.call("copy");
    }

    /** Iterates over a snapshot of the list (one round trip); {@code remove} is not supported. */
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

    /** As a local list prints: {@code [30, 70]}. */
    @Override
    public String toString() {
        return (String) handle.call("toString");
    }

    /** Equal to any list with the same elements, as {@link List#equals} says (compared with a snapshot). */
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
