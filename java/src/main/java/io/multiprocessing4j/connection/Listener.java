package io.multiprocessing4j.connection;

import io.multiprocessing4j.internal.connection.Handshake;
import io.multiprocessing4j.internal.connection.ListeningSocket;
import io.multiprocessing4j.internal.connection.Waitable;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;

/**
 * Accepts connections from other processes (Python's {@code multiprocessing.connection.Listener}),
 * on one of these addresses:
 * <ul>
 *   <li>a socket file: {@link UnixDomainSocketAddress}; the file is removed again on {@link #close()};
 *   <li>a Linux abstract name: {@link AbstractUnixAddress}; nothing on disk;
 *   <li>TCP: {@link java.net.InetSocketAddress}, e.g. {@code new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)}
 *       (port 0 picks a free port; {@link #address()} tells which).
 * </ul>
 *
 * <pre>{@code
 * try (Listener listener = new Listener(address, authkey)) {
 *     try (Connection connection = listener.accept()) {
 *         connection.send("welcome");
 *     }
 * }
 * }</pre>
 *
 * <p>With an authkey, {@link #accept()} returns a connection only after the client has proved that
 * it knows the key and the listener has proved it to the client (HMAC-SHA256 challenges both ways,
 * before anything else is read); a client that fails makes {@code accept()} throw an
 * {@link AuthenticationException}, and the listener accepts the next client as usual. A client that
 * stays silent fails after {@link #setAuthenticationTimeout the authentication timeout}.
 * Without an authkey there is no authentication, as in Python 3: anyone who can reach the address
 * can send objects to be deserialized, so set an {@link java.io.ObjectInputFilter} then, or pass
 * {@code Multiprocessing.currentProcess().authkey()} to share the key with your child processes.
 * Connections on Unix addresses can pass connections on; TCP ones cannot.
 */
public final class Listener implements AutoCloseable {
    /** How many connections may wait to be accepted; Python's default (1) is needlessly small. */
    public static final int DEFAULT_BACKLOG = 64;
    public static final Duration DEFAULT_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(20);

    private final ListeningSocket socket;
    private final byte[] authkey;
    private volatile Duration authenticationTimeout = DEFAULT_AUTHENTICATION_TIMEOUT;

    /** Listens on a fresh socket file in a new private (0700) directory, without authentication. */
    public Listener() throws IOException {
        this(null, null, DEFAULT_BACKLOG);
    }

    /** Listens on {@code address}, without authentication. */
    public Listener(SocketAddress address) throws IOException {
        this(Objects.requireNonNull(address, "address"), null, DEFAULT_BACKLOG);
    }

    /** Listens on {@code address}; clients must know {@code authkey} (null: no authentication). */
    public Listener(SocketAddress address, byte[] authkey) throws IOException {
        this(Objects.requireNonNull(address, "address"), authkey, DEFAULT_BACKLOG);
    }

    /**
     * Listens on {@code address} (null: a fresh socket file in a new private directory);
     * clients must know {@code authkey} (null: no authentication).
     */
    public Listener(SocketAddress address, byte[] authkey, int backlog) throws IOException {
        if (authkey != null && authkey.length == 0) {
            throw new IllegalArgumentException("an empty authkey authenticates nothing; pass null for none");
        }
        if (backlog < 0) {
            throw new IllegalArgumentException("negative backlog " + backlog);
        }
        this.authkey = authkey == null ? null : authkey.clone();
        if (address != null) {
            this.socket = ListeningSocket.open(address, backlog, null);
        } else {
            Path directory = Files.createTempDirectory("multiprocessing4j-listener-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                this.socket = ListeningSocket.open(UnixDomainSocketAddress.of(directory.resolve("socket")), backlog,
                        directory);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(directory);
                throw e;
            }
        }
    }

    /**
     * Waits for a client and returns its connection, once authenticated if there is an authkey.
     * Throws {@link AuthenticationException} when a client fails authentication (its connection
     * is closed; call {@code accept()} again for the next one), and
     * {@link java.nio.channels.AsynchronousCloseException} when the listener is closed meanwhile.
     * The wait parks the thread (a virtual thread leaves its carrier); {@link Thread#interrupt()}
     * ends it with {@link java.io.InterruptedIOException}, the interrupt status left set.
     */
    public Connection accept() throws IOException {
        if (socket.isClosed()) {
            throw new IllegalStateException("listener is closed");
        }
        OwnedFd fd = socket.accept();
        Connection connection = Connection.open(fd, socket.transport(), true, true);
        if (authkey != null) {
            try {
                Handshake.asListener(connection.channel(), authkey, authenticationTimeout);
            } catch (IOException | RuntimeException e) {
                connection.close();
                if (e instanceof AuthenticationException) {
                    throw e;
                }
                throw new AuthenticationException("authentication failed: " + e, e);
            }
        }
        return connection;
    }

    /** The address clients connect to (for TCP port 0: with the port chosen). */
    public SocketAddress address() {
        return socket.address();
    }

    /** How long an accepted client may take to authenticate; null waits indefinitely. */
    public void setAuthenticationTimeout(Duration timeout) {
        this.authenticationTimeout = timeout;
    }

    public Duration authenticationTimeout() {
        return authenticationTimeout;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    /** Stops listening, wakes a blocked {@link #accept()}, and removes the socket file it created. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    Waitable waitable() {
        return socket;
    }

    @Override
    public String toString() {
        return "Listener[" + socket.address() + (authkey != null ? ", authenticated" : "")
                + (socket.isClosed() ? ", closed" : "") + "]";
    }
}
