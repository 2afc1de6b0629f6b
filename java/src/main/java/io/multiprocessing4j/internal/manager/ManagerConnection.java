package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.connection.Connection;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This process's connections to a manager's server. One, the main connection, is shared by
 * every proxy of that manager here for the calls that answer at once (taken in turn under a
 * lock), and holds this process's references. A call that may wait (a lock's acquire, a queue's
 * get, an event's wait, ...) takes a connection of its own from a pool instead, opening one if
 * none is idle, so a thread blocked in such a call never delays another thread's calls (Python
 * opens one connection per thread; here the number is that of threads waiting at once). Such a
 * call is one request that waits in the server for the whole timeout; an interrupt cancels it
 * there (see {@link #callWaiting}). The main connection is opened on first need: in a child, when the first proxy
 * arrives. Every connection tells the server this process's random client id first, so the
 * server knows which locks to give back when the process goes.
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
    /** This process's id at the server (the same on all its connections). */
    private final long clientId = ThreadLocalRandom.current().nextLong() ^ ProcessHandle.current().pid() << 40;
    /** Connections for waiting calls, not in use now. */
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    /** References of proxies arrived and released since the last request. */
    private final PendingReferences pending = new PendingReferences();
    private final ManagerExchange exchange;
    /** Guarded by lock. */
    private Connection connection;
    /** Why calls fail from now on, or null while usable (written under lock, read anywhere). */
    private volatile IllegalStateException broken;

    private ManagerConnection(SocketAddress address, byte[] authkey) {
        this.address = address;
        this.authkey = authkey.clone();
        this.exchange = new ManagerExchange(address, this.authkey, clientId, this::lost);
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
        openWith(() -> exchange.open(true));
    }

    /**
     * As {@link #open()}, for a caller that asked for this connection: an interrupt ends the wait,
     * and with a {@code timeout} (null for none) the whole opening takes at most that long.
     */
    public void openInterruptibly(Duration timeout) throws IOException {
        openWith(() -> exchange.openInterruptibly(true, timeout));
    }

    /** How a main connection is opened. */
    private interface Opening {
        Connection open() throws IOException;
    }

    private void openWith(Opening opening) throws IOException {
        lock.lock();
        try {
            if (broken != null) {
                throw broken;
            }
            if (connection == null) {
                connection = opening.open();
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
        pending.acquire(id);
    }

    /** How many shared objects the server holds. */
    public int numberOfObjects() {
        return (Integer) call(Operations.SERVER, Operations.NUMBER_OF_OBJECTS);
    }

    /**
     * How many requests for operations on shared objects the server has read from this process
     * (for tests and diagnostics: a call that waits is one request, however long it waits).
     */
    public long operationsRequested() {
        return (Long) call(Operations.SERVER, Operations.OPERATIONS_REQUESTED);
    }

    /** Asks the server to exit once it has answered (its other clients see their connection close). */
    public void shutdownServer() {
        call(Operations.SERVER, Operations.SHUTDOWN);
    }

    /** Queues the release of one reference to {@code id}, without blocking (the Cleaner calls this). */
    void releaseLater(long id) {
        pending.release(id);
    }

    /** Sends the queued acquires and releases now, if the connection is usable; never throws. */
    void flushReleases() {
        if (pending.isEmpty()) {
            return;
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
        return resultOf(request(objectId, operation, args));
    }

    /** As {@link #call}, but answers the server's response as it is, failure included. */
    public Response request(long objectId, String operation, Object... args) {
        lock.lock();
        try {
            if (broken != null) {
                throw new IllegalStateException(broken.getMessage(), broken);
            }
            if (connection == null) {
                try {
                    connection = exchange.open(true);
                } catch (IOException e) {
                    throw breakWith("cannot connect to the manager at " + address + " (has it shut down?): " + e, e);
                }
            }
            PendingReferences.Batch references = pending.takeAll();
            try {
                return exchange.exchange(connection, objectId, operation, args, references);
            } catch (ManagerExchange.NotSent e) {
                pending.putBack(references); // an argument cannot be serialized: they go with the next request
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Calls {@code operation}, which may wait, on object {@code objectId} over a connection of this
     * thread's own (see the class comment), in one request that waits in the server until it
     * completes or {@code timeoutNanos} (negative: no limit) has passed; answers its result, or
     * {@link Pending#NOT_YET} if the time ran out. The server receives the timeout before
     * {@code args}. With {@code interruptible}, an interrupted thread throws
     * {@link InterruptedException} at once, and an interrupt during the wait cancels it in the
     * server: the call throws {@link InterruptedException}, unless the result won the race, which
     * is then answered with the interrupt status set (nothing the server handed over is lost).
     * Otherwise the interrupt stays pending and the wait goes on. Failures are as for {@link #call}.
     */
    public Object callWaiting(long objectId, String operation, long timeoutNanos, boolean interruptible, Object... args)
            throws InterruptedException {
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        deliverPending();
        Connection own = borrow();
        try {
            long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
            Object[] withTimeout = new Object[args.length + 1];
            System.arraycopy(args, 0, withTimeout, 1, args.length);
            withTimeout[0] = timeoutNanos;
            while (true) {
                Object result = resultOf(interruptible
                        ? exchange.exchangeCancellable(own, objectId, operation, withTimeout)
                        : exchange.exchange(own, objectId, operation, withTimeout, null));
                if (result != Pending.NOT_YET) {
                    return result;
                }
                if (interruptible && Thread.interrupted()) {
                    throw new InterruptedException(); // cancelled (or timed out as the interrupt came)
                }
                if (timeoutNanos >= 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Pending.NOT_YET;
                    }
                    withTimeout[0] = left; // the server's wait ended early without a cancel: ask again
                }
            }
        } finally {
            giveBack(own); // in step whatever happened, unless the connection broke (then it is closed)
        }
    }

    /**
     * Calls {@code operation} once over a connection of the calling thread's own, and answers the
     * server's response as it is: for a call that may take long in the server (a registered
     * type's method), which must not hold up the other threads' calls on the shared connection.
     */
    public Response requestOwn(long objectId, String operation, Object... args) {
        deliverPending();
        Connection own = borrow();
        try {
            return exchange.exchange(own, objectId, operation, args, null);
        } finally {
            giveBack(own);
        }
    }

    /**
     * Before a call on a connection of a thread's own: opens the main connection if need be (it
     * holds this process's references; the server credits them to it) and delivers the references
     * queued on it, so that the object of a proxy that just arrived is held before it is used.
     * Nothing to do, and no round trip, in the usual case.
     */
    private void deliverPending() {
        boolean needed = !pending.isEmpty();
        if (!needed) {
            lock.lock();
            try {
                needed = connection == null && broken == null;
            } finally {
                lock.unlock();
            }
        }
        if (needed) {
            call(Operations.SERVER, Operations.FLUSH);
        }
    }

    private Object resultOf(Response response) {
        if (response.failure() != null) {
            throw ServerFailures.inCaller(response.failure());
        }
        return response.result();
    }

    /** An idle connection for a waiting call, or a new one. */
    private Connection borrow() {
        if (broken != null) {
            throw new IllegalStateException(broken.getMessage(), broken);
        }
        Connection own = idle.poll();
        if (own != null) {
            return own;
        }
        try {
            return exchange.open(false);
        } catch (IOException e) {
            lock.lock();
            try {
                throw breakWith("cannot connect to the manager at " + address + " (has it shut down?): " + e, e);
            } finally {
                lock.unlock();
            }
        }
    }

    private void giveBack(Connection own) {
        if (broken != null || own.isClosed()) {
            own.close();
            return;
        }
        idle.push(own);
        if (broken != null) {
            closeIdle(); // retired meanwhile
        }
    }

    private void closeIdle() {
        for (Connection c; (c = idle.poll()) != null;) {
            c.close();
        }
    }

    private IllegalStateException lost(IOException e) {
        String message = "lost the manager at " + address + " (it shut down, or its process died): " + e;
        if (lock.isHeldByCurrentThread()) {
            return breakWith(message, e);
        }
        lock.lock();
        try {
            return breakWith(message, e);
        } finally {
            lock.unlock();
        }
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
            closeIdle();
            OF_THIS_PROCESS.remove(key(address, authkey), this);
        } finally {
            lock.unlock();
        }
    }

    /** Called holding lock. */
    private IllegalStateException breakWith(String message, IOException cause) {
        if (broken == null) {
            broken = new IllegalStateException(message, cause);
        }
        if (connection != null) {
            connection.close();
        }
        closeIdle();
        return broken;
    }

    @Override
    public String toString() {
        return "ManagerConnection[" + address + (broken != null ? ", closed" : "") + "]";
    }
}
