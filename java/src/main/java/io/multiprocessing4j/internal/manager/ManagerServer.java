package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.internal.connection.PeerCredentials;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server of a manager (Python's {@code managers.Server}): holds the shared objects and serves
 * each client connection on a thread of its own, as Python's does. Client threads are daemons, so
 * the process ends as soon as {@link #serveForever()} returns, whatever clients are still
 * connected (they see their connection close).
 */
public final class ManagerServer {
    private static final AtomicLong SESSIONS = new AtomicLong();

    private final Listener listener;
    private final ObjectTable objects;
    private ManagerServer(Listener listener, TypeRegistry registry) {
        this.listener = listener;
        this.objects = new ObjectTable(registry);
    }

    /** Serves on {@code address} in this process until a client asks for a shutdown (Python's serve_forever). */
    public static void serve(SocketAddress address, byte[] authkey) throws IOException {
        serve(address, authkey, null);
    }

    /** As {@link #serve(SocketAddress, byte[])}, with the user's registered types (null: none). */
    public static void serve(SocketAddress address, byte[] authkey, TypeRegistry registry) throws IOException {
        new ManagerServer(new Listener(address, authkey), registry).serveForever();
    }

    /**
     * Like {@link #serve}, for a manager's own server on an AF_UNIX address: a peer that does not
     * run as this process's user is refused (SO_PEERCRED) before a byte of it is read. The
     * authentications of several clients run concurrently, so a silent one delays no other.
     */
    public static void servePrivately(SocketAddress address, byte[] authkey) throws IOException {
        servePrivately(address, authkey, null);
    }

    /** As {@link #servePrivately(SocketAddress, byte[])}, with the user's registered types (null: none). */
    public static void servePrivately(SocketAddress address, byte[] authkey, TypeRegistry registry)
            throws IOException {
        Listener listener = new Listener(address, authkey);
        try {
            listener.requirePeerUid(PeerCredentials.ownUid());
        } catch (RuntimeException e) {
            listener.close();
            throw e;
        }
        new ManagerServer(listener, registry).serveForever();
    }

    private void serveForever() throws IOException {
        try (listener; SessionWatcher watcher = new SessionWatcher()) {
            while (!listener.isClosed()) {
                Connection connection;
                try {
                    connection = listener.accept();
                } catch (AuthenticationException refused) {
                    continue; // that client is refused and told so; the others are still welcome
                } catch (IOException | IllegalStateException e) {
                    if (listener.isClosed()) {
                        return; // shut down
                    }
                    throw e instanceof IOException ? (IOException) e : new IOException(e);
                }
                Thread session = new Thread(new Session(connection, objects, this::shutdown, watcher),
                        "manager-session-" + SESSIONS.incrementAndGet());
                session.setDaemon(true);
                session.start();
            }
        }
    }

    /** Stops accepting; {@link #serveForever()} returns. */
    private void shutdown() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing a listening socket cannot fail in a way that matters here: we are leaving
        }
    }
}
