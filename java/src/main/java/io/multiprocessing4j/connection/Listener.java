package io.multiprocessing4j.connection;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.internal.connection.ConcurrentAcceptor;
import io.multiprocessing4j.internal.connection.Handshake;
import io.multiprocessing4j.internal.connection.ListeningSocket;
import io.multiprocessing4j.internal.connection.PeerCredentials;
import io.multiprocessing4j.internal.connection.Waitable;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.time.Durations;
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
 * {@link AuthenticationException}, and the listener accepts the next client as usual. The
 * challenges of several clients run concurrently (at most {@link #MAX_PENDING_HANDSHAKES} at a
 * time, each on a thread of its own), so a client that connects and stays silent delays nobody:
 * it fails after {@link #setAuthenticationTimeout the authentication timeout} while the clients
 * behind it are served.
 * Without an authkey there is no authentication, as in Python 3: anyone who can reach the address
 * can send objects to be deserialized, so its connections deserialize only what
 * {@link DeserializationPolicy#strangers()} admits (the JDK's value types and collections, records,
 * enums and classes you register with {@link #setDeserializationPolicy}); or pass
 * {@code Multiprocessing.currentProcess().authkey()} to share the key with your child processes.
 * Connections on Unix addresses can pass connections on; TCP ones cannot.
 */
public final class Listener implements AutoCloseable {
    /** How many connections may wait to be accepted; Python's default (1) is needlessly small. */
    public static final int DEFAULT_BACKLOG = 64;
    /**
     * How long an accepted client may take to authenticate: a client answers at once, and a slow
     * or silent one holds only its own handshake slot meanwhile.
     */
    public static final Duration DEFAULT_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(5);
    /** How many authentications may run at once; further clients wait in the backlog. */
    public static final int MAX_PENDING_HANDSHAKES = 32;

    private final ListeningSocket socket;
    private final byte[] authkey;
    private final ConcurrentAcceptor<Connection> handshakes;
    private volatile Duration authenticationTimeout = DEFAULT_AUTHENTICATION_TIMEOUT;
    private volatile int requiredPeerUid = -1;
    private volatile long maxMessageSize = Connection.DEFAULT_MAX_MESSAGE_SIZE;
    private volatile DeserializationPolicy policy;

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
        this.policy = authkey == null ? DeserializationPolicy.strangers() : DeserializationPolicy.trusted();
        if (address != null) {
            this.socket = ListeningSocket.open(address, AbstractUnixAddress.nameOf(address), backlog, null);
        } else {
            Path directory = Files.createTempDirectory("multiprocessing4j-listener-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                this.socket = ListeningSocket.open(UnixDomainSocketAddress.of(directory.resolve("socket")), null,
                        backlog, directory);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(directory);
                throw e;
            }
        }
        this.handshakes = this.authkey == null ? null
                : new ConcurrentAcceptor<>(socket, "listener", this::authenticate, Connection::close,
                        MAX_PENDING_HANDSHAKES, nanos(DEFAULT_AUTHENTICATION_TIMEOUT));
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
        if (handshakes != null) {
            return handshakes.accept();
        }
        OwnedFd fd = socket.accept();
        checkPeer(fd);
        return open(fd);
    }

    /** One client's authentication, on a handshake thread of its own (see ConcurrentAcceptor). */
    private Connection authenticate(OwnedFd fd, long deadlineNanos) throws IOException {
        Connection connection = open(fd);
        try {
            Handshake.asListener(connection.channel(), authkey, deadlineNanos);
        } catch (IOException | RuntimeException e) {
            connection.close();
            if (e instanceof AuthenticationException) {
                throw e;
            }
            throw new AuthenticationException("authentication failed: " + e, e);
        }
        return connection;
    }

    private Connection open(OwnedFd fd) {
        Connection connection = Connection.open(fd, socket.transport(), true, true);
        connection.setMaxMessageSize(maxMessageSize);
        connection.setDeserializationPolicy(policy);
        return connection;
    }

    /**
     * Sets the {@linkplain Connection#setDeserializationPolicy deserialization policy} of the
     * connections accepted from now on. Initially {@link DeserializationPolicy#trusted()} with an
     * authkey (a client proved it knows the key) and {@link DeserializationPolicy#strangers()}
     * without one (anyone who can reach the address is a client).
     */
    public void setDeserializationPolicy(DeserializationPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The deserialization policy given to accepted connections. */
    public DeserializationPolicy deserializationPolicy() {
        return policy;
    }

    private void checkPeer(OwnedFd fd) throws IOException {
        int uid = requiredPeerUid;
        if (uid < 0) {
            return;
        }
        PeerCredentials peer = PeerCredentials.of(fd);
        if (peer.uid != uid) {
            fd.close();
            throw new AuthenticationException("refused a peer of another user (" + peer + "): this listener serves uid "
                    + uid + " only");
        }
    }

    /**
     * Accepts, from now on, only peers running as {@code uid}, checked with SO_PEERCRED before a
     * byte is read from them; a peer of another user is refused ({@code accept} throws
     * {@link AuthenticationException}). -1 accepts anyone again, the default. AF_UNIX listeners
     * only: {@link IllegalStateException} for a TCP one.
     */
    public void requirePeerUid(int uid) {
        if (uid >= 0 && !socket.transport().carriesFds()) {
            throw new IllegalStateException("peer credentials exist only on AF_UNIX sockets, not " + socket.transport());
        }
        requiredPeerUid = uid;
        if (handshakes != null) {
            handshakes.requirePeerUid(uid);
        }
    }

    /**
     * Sets the {@linkplain Connection#setMaxMessageSize maximum message size} of the connections
     * accepted from now on (initially {@link Connection#DEFAULT_MAX_MESSAGE_SIZE}).
     */
    public void setMaxMessageSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative maximum message size " + bytes);
        }
        this.maxMessageSize = bytes;
    }

    /** The maximum message size given to accepted connections. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** The address clients connect to (for TCP port 0: with the port chosen). */
    public SocketAddress address() {
        return socket.address();
    }

    /**
     * How long an accepted client may take to authenticate, for clients accepted from now on
     * (initially {@link #DEFAULT_AUTHENTICATION_TIMEOUT}); null waits indefinitely, which lets
     * silent clients hold the {@link #MAX_PENDING_HANDSHAKES} slots.
     */
    public void setAuthenticationTimeout(Duration timeout) {
        this.authenticationTimeout = timeout;
        if (handshakes != null) {
            handshakes.setTimeoutNanos(nanos(timeout));
        }
    }

    private static long nanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        return Durations.toNanos(timeout);
    }

    /** How long an accepted client may take to authenticate; null for no limit (see the setter). */
    public Duration authenticationTimeout() {
        return authenticationTimeout;
    }

    /** Whether {@link #close()} was called: {@link #accept()} then throws. */
    public boolean isClosed() {
        return socket.isClosed();
    }

    /** Stops listening, wakes a blocked {@link #accept()}, and removes the socket file it created. */
    @Override
    public void close() throws IOException {
        socket.close(); // first: a caller woken by the handshakes' close then finds the listener closed
        if (handshakes != null) {
            handshakes.close();
        }
    }

    Waitable waitable() {
        if (handshakes == null) {
            return socket;
        }
        return new Waitable() { // a client already authenticated is ready too
            @Override
            public io.multiprocessing4j.internal.connection.FdChannel fdChannel() {
                return socket.fdChannel();
            }

            @Override
            public boolean readyWithoutWaiting() {
                return handshakes.hasResult();
            }
        };
    }

    @Override
    public String toString() {
        return "Listener[" + socket.address() + (authkey != null ? ", authenticated" : "")
                + (socket.isClosed() ? ", closed" : "") + "]";
    }
}
