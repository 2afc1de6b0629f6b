package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This process's one connection to a manager's server, shared by every proxy of that manager
 * here (Python opens one per thread; one per process is enough, as calls are short and strictly
 * request/response, taken in turn under a lock). It is opened on first need: in a child, when
 * the first proxy arrives.
 *
 * <p>The server counts the references each connection holds, so the connection is never
 * reopened once it broke: the server has dropped its references by then, and its objects may be
 * gone. Every later call fails with the same clear {@link IllegalStateException}, at once.
 *
 * <p>References are taken and given back without round trips of their own: a proxy that
 * arrives here is deserialized while a message or a child's target is being read, where no other
 * message can be sent (and the thread may hold this connection's lock), and a proxy dropped
 * without {@code close()} is released by the Cleaner, which must never block on a socket. Both
 * only queue the id here, and the next request carries the queue to the server, acquires first.
 * Until then the process that sent a proxy must keep its own, as in Python.
 */
public final class ManagerConnection {
    private static final Map<String, ManagerConnection> OF_THIS_PROCESS = new ConcurrentHashMap<>();

    private final SocketAddress address;
    private final byte[] authkey;
    private final ReentrantLock lock = new ReentrantLock();
    /** Ids of proxies arrived and released since the last request (guarded by pending, never held across I/O). */
    private final Object pending = new Object();
    private final List<Long> acquires = new ArrayList<>();
    private final List<Long> releases = new ArrayList<>();
    /** Guarded by lock. */
    private Connection connection;
    /** Why calls fail from now on, or null while usable (written under lock, read anywhere). */
    private volatile IllegalStateException broken;

    private ManagerConnection(SocketAddress address, byte[] authkey) {
        this.address = address;
        this.authkey = authkey.clone();
    }

    /** This process's connection to the manager at {@code address}, not yet opened. */
    public static ManagerConnection of(SocketAddress address, byte[] authkey) {
        return OF_THIS_PROCESS.computeIfAbsent(key(address, authkey), k -> new ManagerConnection(address, authkey));
    }

    /**
     * A connection of its own to the manager at {@code address}, not shared with this process's
     * proxies that arrive from elsewhere: for {@code Manager.connect}, whose {@code close()}
     * must not cut off the others.
     */
    public static ManagerConnection unshared(SocketAddress address, byte[] authkey) {
        return new ManagerConnection(address, authkey);
    }

    private static String key(SocketAddress address, byte[] authkey) {
        return address + " " + HexFormat.of().formatHex(authkey);
    }

    public SocketAddress address() {
        return address;
    }

    public byte[] authkey() {
        return authkey.clone();
    }

    /**
     * Opens the connection now if it is not yet open, so that a wrong authkey or an unreachable
     * address is reported to the caller as it is ({@code AuthenticationException}, ...).
     */
    public void open() throws IOException {
        lock.lock();
        try {
            if (broken != null) {
                throw broken;
            }
            if (connection == null) {
                connection = Client.connect(address, authkey);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Creates a shared object of {@code kind} from {@code initial}; returns its id, referenced once from here. */
    public long create(SharedKind kind, Object initial) {
        return (Long) call(Operations.SERVER, Operations.CREATE, kind, initial);
    }

    /** Queues one more reference from this process to object {@code id}, without I/O (a proxy arrived). */
    void acquireLater(long id) {
        synchronized (pending) {
            acquires.add(id);
        }
    }

    /** How many shared objects the server holds. */
    public int numberOfObjects() {
        return (Integer) call(Operations.SERVER, Operations.NUMBER_OF_OBJECTS);
    }

    /** Asks the server to exit once it has answered (its other clients see their connection close). */
    public void shutdownServer() {
        call(Operations.SERVER, Operations.SHUTDOWN);
    }

    /** Queues the release of one reference to {@code id}, without blocking (the Cleaner calls this). */
    void releaseLater(long id) {
        synchronized (pending) {
            releases.add(id);
        }
    }

    /** Sends the queued acquires and releases now, if the connection is usable; never throws. */
    void flushReleases() {
        synchronized (pending) {
            if (acquires.isEmpty() && releases.isEmpty()) {
                return;
            }
        }
        if (broken == null) {
            try {
                call(Operations.SERVER, Operations.FLUSH);
            } catch (RuntimeException gone) {
                // the server is gone, and our references with it
            }
        }
    }

    /**
     * Calls {@code operation} on object {@code objectId} and returns its result; throws what the
     * operation threw in the server (see {@link ServerFailures}), an {@link IllegalArgumentException}
     * if an argument cannot be serialized (nothing is sent then), or an {@link IllegalStateException}
     * naming the manager if it cannot be reached.
     */
    public Object call(long objectId, String operation, Object... args) {
        Response response;
        lock.lock();
        try {
            if (broken != null) {
                throw new IllegalStateException(broken.getMessage(), broken);
            }
            if (connection == null) {
                try {
                    connection = Client.connect(address, authkey);
                } catch (IOException e) {
                    throw breakWith("cannot connect to the manager at " + address + " (has it shut down?): " + e, e);
                }
            }
            long[] acquired;
            long[] released;
            synchronized (pending) {
                acquired = take(acquires);
                released = take(releases);
            }
            try {
                connection.send(new Request(objectId, operation, args, acquired, released));
            } catch (ObjectStreamException e) {
                synchronized (pending) {
                    putBack(acquired, acquires);
                    putBack(released, releases);
                }
                throw new IllegalArgumentException("cannot send '" + operation + "' to the manager at " + address
                        + ": an argument is not serializable: " + e, e);
            } catch (IOException e) {
                throw breakWith("lost the manager at " + address + " (it shut down, or its process died): " + e, e);
            }
            Object answer;
            try {
                answer = connection.recv();
            } catch (ObjectStreamException e) {
                // the answer was consumed and cannot be read here; the connection is still in step
                throw new IllegalStateException("the manager at " + address + " answered '" + operation
                        + "' with something this process cannot read: " + e, e);
            } catch (IOException e) {
                throw breakWith("lost the manager at " + address + " (it shut down, or its process died): " + e, e);
            }
            response = (Response) answer;
        } finally {
            lock.unlock();
        }
        if (response.failure() != null) {
            throw ServerFailures.inCaller(response.failure());
        }
        return response.result();
    }

    /**
     * Closes the connection for good: later calls fail with {@code reason}. The manager's owner
     * does this at shutdown; the server then drops every reference this process held.
     */
    public void retire(String reason) {
        lock.lock();
        try {
            if (broken == null) {
                broken = new IllegalStateException(reason);
            }
            if (connection != null) {
                connection.close();
            }
            OF_THIS_PROCESS.remove(key(address, authkey), this);
        } finally {
            lock.unlock();
        }
    }

    private IllegalStateException breakWith(String message, IOException cause) {
        broken = new IllegalStateException(message, cause);
        if (connection != null) {
            connection.close();
        }
        return broken;
    }

    private static long[] take(List<Long> queue) {
        if (queue.isEmpty()) {
            return null;
        }
        long[] ids = queue.stream().mapToLong(Long::longValue).toArray();
        queue.clear();
        return ids;
    }

    private static void putBack(long[] ids, List<Long> queue) {
        if (ids != null) {
            for (int i = ids.length - 1; i >= 0; i--) {
                queue.add(0, ids[i]);
            }
        }
    }

    @Override
    public String toString() {
        return "ManagerConnection[" + address + (broken != null ? ", closed" : "") + "]";
    }
}
