package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.internal.SharedCleaner;
import java.lang.ref.Cleaner;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a proxy holds: the id of its object in the server, the connection to the server, and
 * the one reference to the object this proxy stands for. The reference is given back by
 * {@link #close()}, or by the Cleaner once the proxy is unreachable.
 */
public final class ProxyHandle {
    private final ManagerConnection connection;
    private final SharedKind kind;
    private final long id;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Cleaner.Cleanable cleanable;

    private ProxyHandle(ManagerConnection connection, SharedKind kind, long id) {
        this.connection = connection;
        this.kind = kind;
        this.id = id;
    }

    /** A new object of {@code kind} in the server, made from {@code initial}. */
    public static ProxyHandle create(ManagerConnection connection, SharedKind kind, Object initial) {
        return new ProxyHandle(connection, kind, connection.create(kind, initial));
    }

    /**
     * A handle for object {@code id}, with a reference of its own (a proxy was deserialized in
     * this process). No I/O happens here, as this runs while a child's target or a message is
     * being read: the reference is taken with this process's next request to the server.
     */
    public static ProxyHandle attach(SocketAddress address, byte[] authkey, SharedKind kind, long id) {
        ManagerConnection connection = ManagerConnection.of(address, authkey);
        connection.acquireLater(id);
        return new ProxyHandle(connection, kind, id);
    }

    /** A new object of {@code kind} in the server, made from {@code initial}, over the connection {@code like} uses. */
    public static ProxyHandle create(ProxyHandle like, SharedKind kind, Object initial) {
        return create(like.connection, kind, initial);
    }

    /** A handle for object {@code id} that the server has just made for us, referenced once already. */
    public static ProxyHandle adopt(ProxyHandle like, SharedKind kind, long id) {
        return new ProxyHandle(like.connection, kind, id);
    }

    /** Arms the Cleaner: once {@code proxy} is unreachable, its reference is given back. */
    public void watch(Object proxy) {
        cleanable = SharedCleaner.INSTANCE.register(proxy, new Release(connection, id));
    }

    /** Calls {@code operation} on the object; see {@link ManagerConnection#call}. */
    public Object call(String operation, Object... args) {
        if (closed.get()) {
            throw new IllegalStateException("this proxy is closed");
        }
        return connection.call(id, operation, args);
    }

    /** Calls {@code operation}, which may wait; see {@link ManagerConnection#callWaiting}. */
    public Object callWaiting(String operation, long timeoutNanos, boolean interruptible, Object... args)
            throws InterruptedException {
        checkOpen();
        return connection.callWaiting(id, operation, timeoutNanos, interruptible, args);
    }

    /**
     * As {@link #callWaiting}, not interruptible: the wait goes on through interrupts, which stay
     * pending (as {@code Lock.lock()} does).
     */
    public Object callWaitingUninterruptibly(String operation, long timeoutNanos, Object... args) {
        checkOpen();
        try {
            return connection.callWaiting(id, operation, timeoutNanos, false, args);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible wait was interrupted", impossible);
        }
    }

    /** Calls {@code operation} and answers the server's response as it is, failure included. */
    public Response request(String operation, Object... args) {
        checkOpen();
        return connection.request(id, operation, args);
    }

    /** As {@link #request}, over a connection of the calling thread's own (see {@link ManagerConnection#requestOwn}). */
    public Response requestOwn(String operation, Object... args) {
        checkOpen();
        return connection.requestOwn(id, operation, args);
    }

    /** Whether {@code result} is the answer of a wait that timed out. */
    public static boolean timedOut(Object result) {
        return result == Pending.NOT_YET;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this proxy is closed");
        }
    }
    /** Gives this proxy's reference back to the server now (idempotent; the proxy is unusable after). */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cleanable.clean();
            connection.flushReleases();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    public SharedKind kind() {
        return kind;
    }

    public long id() {
        return id;
    }

    public SocketAddress address() {
        return connection.address();
    }

    public byte[] authkey() {
        return connection.authkey();
    }

    /** The Cleaner's action: holds no reference to the proxy, and only queues (it must not block). */
    private static final class Release implements Runnable {
        private final ManagerConnection connection;
        private final long id;

        Release(ManagerConnection connection, long id) {
            this.connection = connection;
            this.id = id;
        }

        @Override
        public void run() {
            connection.releaseLater(id);
        }
    }
}
