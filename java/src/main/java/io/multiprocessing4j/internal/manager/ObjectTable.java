package io.multiprocessing4j.internal.manager;

import java.util.HashMap;
import java.util.Map;

/**
 * The shared objects a server holds, with the references to each, counted per client
 * connection: an object lives while some connection holds a reference to it, and a connection
 * that closes (its process exited, or died) gives all of its references back at once, so a
 * process that never said goodbye leaks nothing. One lock guards it all; every method is short.
 */
final class ObjectTable {
    /** A shared object and the number of references to it, over all connections. */
    private static final class Entry {
        final SharedKind kind;
        final Object value;
        int references;

        Entry(SharedKind kind, Object value) {
            this.kind = kind;
            this.value = value;
        }
    }

    private final Map<Long, Entry> objects = new HashMap<>();
    /** For each connection (its session), how many references it holds to each object. */
    private final Map<Object, Map<Long, Integer>> held = new HashMap<>();
    private long lastId;

    /** Creates an object of {@code kind} from {@code initial}, referenced once by {@code owner}; returns its id. */
    long create(SharedKind kind, Object initial, Object owner) {
        Object value = kind.create(initial); // outside the lock: it copies the initial content
        synchronized (this) {
            long id = ++lastId;
            objects.put(id, new Entry(kind, value));
            reference(id, owner);
            return id;
        }
    }

    /** One more reference to {@code id}, held by {@code owner}, unless the object is gone already. */
    synchronized void increfIfPresent(long id, Object owner) {
        if (objects.containsKey(id)) {
            reference(id, owner);
        }
    }

    /** Gives back one of {@code owner}'s references to {@code id}; ignored if it holds none. */
    synchronized void decref(long id, Object owner) {
        Map<Long, Integer> ownerRefs = held.get(owner);
        Integer count = ownerRefs == null ? null : ownerRefs.get(id);
        if (count == null) {
            return;
        }
        if (count == 1) {
            ownerRefs.remove(id);
            if (ownerRefs.isEmpty()) {
                held.remove(owner);
            }
        } else {
            ownerRefs.put(id, count - 1);
        }
        unreference(id, 1);
    }

    /** Gives back every reference {@code owner} holds (its connection has closed). */
    synchronized void dropAll(Object owner) {
        Map<Long, Integer> ownerRefs = held.remove(owner);
        if (ownerRefs != null) {
            ownerRefs.forEach(this::unreference);
        }
    }

    /** Runs {@code operation} on object {@code id}, holding the object's monitor (not the table's). */
    Object apply(long id, String operation, Object[] args) {
        Entry entry;
        synchronized (this) {
            entry = entry(id);
        }
        synchronized (entry.value) {
            return entry.kind.apply(entry.value, operation, args);
        }
    }

    synchronized int size() {
        return objects.size();
    }

    private Entry entry(long id) {
        Entry entry = objects.get(id);
        if (entry == null) {
            throw new IllegalStateException("the manager holds no shared object " + id
                    + " (any more: every proxy for it was closed or dropped)");
        }
        return entry;
    }

    private void reference(long id, Object owner) {
        objects.get(id).references++;
        held.computeIfAbsent(owner, o -> new HashMap<>()).merge(id, 1, Integer::sum);
    }

    private void unreference(long id, int count) {
        Entry entry = objects.get(id);
        if (entry != null && (entry.references -= count) <= 0) {
            objects.remove(id);
        }
    }
}
