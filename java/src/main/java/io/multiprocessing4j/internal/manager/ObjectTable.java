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

    private final TypeRegistry registry;
    private final Map<Long, Entry> objects = new HashMap<>();
    /** Client processes by their id, living or gone (an id is never reused). */
    private final Map<Long, ClientState> clients = new HashMap<>();
    /** For each connection (its session), how many references it holds to each object. */
    private final Map<Object, Map<Long, Integer>> held = new HashMap<>();
    private long lastId;

    ObjectTable(TypeRegistry registry) {
        this.registry = registry == null ? new TypeRegistry() : registry;
    }

    TypeRegistry registry() {
        return registry;
    }

    /**
     * Creates an object of {@code kind} from {@code initial}, referenced once by {@code owner};
     * returns its id. For a condition, {@code initial} is the id of its lock (or null); for a
     * registered type, its type id.
     */
    long create(SharedKind kind, Object initial, Object owner) {
        Object value;
        if (kind == SharedKind.CONDITION && initial != null) {
            Entry lock;
            synchronized (this) {
                lock = entry((Long) initial);
            }
            if (!(lock.value instanceof ServerLock)) {
                throw new IllegalArgumentException("a condition needs a lock or an rlock of this manager, not a " + lock.kind);
            }
            value = kind.create(lock.value);
        } else if (kind == SharedKind.REGISTERED) {
            TypeRegistry.Registration registration = registry.get((String) initial);
            Object made = registration.factory().get();
            if (!registration.iface().isInstance(made)) {
                throw new ClassCastException("the factory of '" + registration.typeId() + "' made a "
                        + (made == null ? "null" : made.getClass().getName()) + ", not a " + registration.iface().getName());
            }
            value = new RegisteredObject(registration, made, this);
        } else {
            value = kind.create(initial); // outside the lock: it copies the initial content
        }
        return adopt(kind, value, owner);
    }

    /** Holds {@code value}, referenced once by {@code owner}; returns its new id. */
    long adopt(SharedKind kind, Object value, Object owner) {
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

    /**
     * Runs {@code operation} on object {@code id} for {@code caller}: a {@link ServerObject} does its
     * own locking (it may wait); the others run holding the object's monitor (not the table's).
     */
    Object apply(long id, String operation, Object[] args, Caller caller) {
        Entry entry;
        synchronized (this) {
            entry = entry(id);
        }
        if (entry.value instanceof ServerObject) {
            return ((ServerObject) entry.value).apply(operation, args, caller);
        }
        synchronized (entry.value) {
            return entry.kind.apply(entry.value, operation, args);
        }
    }

    /** The state of client process {@code id}, made at its first connection. */
    synchronized ClientState client(long id) {
        return clients.computeIfAbsent(id, ClientState::new);
    }

    /**
     * Client {@code client} has gone (one of its connections closed): every lock it holds is
     * given back, and any it would be granted later is refused.
     */
    void clientDied(ClientState client) {
        client.died = true;
        java.util.List<ServerObject> all = new java.util.ArrayList<>();
        synchronized (this) {
            for (Entry entry : objects.values()) {
                if (entry.value instanceof ServerObject) {
                    all.add((ServerObject) entry.value);
                }
            }
        }
        for (ServerObject object : all) {
            object.clientDied(client); // outside the table's lock: objects take their own
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
            if (entry.value instanceof ServerObject) {
                ((ServerObject) entry.value).freed(); // must not block: it holds the table's lock
            }
        }
    }
}
