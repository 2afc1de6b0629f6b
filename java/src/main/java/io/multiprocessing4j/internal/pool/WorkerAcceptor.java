package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.connection.AbstractUnixAddress;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.internal.connection.ConcurrentAcceptor;
import io.multiprocessing4j.internal.connection.ListeningSocket;
import io.multiprocessing4j.internal.connection.MessageChannel;
import io.multiprocessing4j.internal.connection.PeerCredentials;
import io.multiprocessing4j.internal.connection.Transport;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where a pool's workers connect back to it: a listener on a fresh Linux abstract name, and a
 * thread that hands accepted workers to their launches. Each launch expects one token (128 random
 * bits, handed to its worker in the worker's target); an accepted connection goes to the launch
 * whose token it presents first, and a connection without a valid token is closed unread.
 *
 * <p>Anyone on the host may connect to an abstract name. So a peer that does not run as this
 * process's user (SO_PEERCRED) is refused before a byte of it is read, and the tokens of several
 * connections are read concurrently, each within a deadline: a silent or slow peer of our own user
 * holds one slot for at most {@link #TOKEN_TIMEOUT_NANOS}, never the workers behind it. (The check
 * is on the uid and not on the process tree: a process of the same user could read our memory
 * anyway, and nobody else knows a token, nor is anything deserialized before it matches.)
 */
final class WorkerAcceptor implements AutoCloseable {
    /** How long an accepted client may take to present its token; a worker does it at once. */
    private static final long TOKEN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Tokens being read at once; further clients wait in the backlog. */
    private static final int MAX_PENDING = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AbstractUnixAddress address;
    private final ListeningSocket socket;
    private final ConcurrentAcceptor<Arrival> arrivals;
    private final Map<ByteBuffer, CompletableFuture<MessageChannel>> expected = new ConcurrentHashMap<>();
    private final Thread thread;

    WorkerAcceptor(String poolName) throws IOException {
        this.address = AbstractUnixAddress.random();
        this.socket = ListeningSocket.open(address, address.name(), Listener.DEFAULT_BACKLOG, null);
        this.arrivals = new ConcurrentAcceptor<>(socket, poolName, WorkerAcceptor::readToken,
                arrival -> arrival.connection.close(), MAX_PENDING, TOKEN_TIMEOUT_NANOS);
        arrivals.requirePeerUid(PeerCredentials.ownUid());
        this.thread = new Thread(this::acceptUntilClosed, poolName + "-acceptor");
        thread.setDaemon(true);
        thread.start();
    }

    /** The abstract name's bytes, for the worker's target. */
    byte[] addressBytes() {
        return address.name();
    }

    /** A fresh token, and the connection its worker will make. */
    Expectation expect() {
        byte[] token = new byte[Wire.TOKEN_LENGTH];
        RANDOM.nextBytes(token);
        CompletableFuture<MessageChannel> connection = new CompletableFuture<>();
        expected.put(ByteBuffer.wrap(token), connection);
        return new Expectation(token, connection);
    }

    /** Gives up on a token (its launch failed); a connection that arrives for it later is closed. */
    void forget(byte[] token) {
        CompletableFuture<MessageChannel> connection = expected.remove(ByteBuffer.wrap(token));
        if (connection != null) {
            connection.cancel(false);
            if (connection.isDone() && !connection.isCancelled()) {
                connection.join().close();
            }
        }
    }

    /** A handshake thread's work: the token a new connection presents, within its deadline. */
    private static Arrival readToken(OwnedFd fd, long deadline) throws IOException {
        MessageChannel connection = new MessageChannel(fd, Transport.UNIX_SOCKET, true, true);
        connection.setMaxMessageSize(Long.MAX_VALUE); // the pool's own channel: results as large as they come
        try {
            byte[] token = connection.recvBytesExactly(Wire.TOKEN_LENGTH, deadline);
            return new Arrival(token, connection);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void acceptUntilClosed() {
        while (!socket.isClosed()) {
            Arrival arrival;
            try {
                arrival = arrivals.accept();
            } catch (IOException | IllegalStateException closedSilentOrHostile) {
                if (socket.isClosed()) {
                    return;
                }
                continue;
            }
            CompletableFuture<MessageChannel> waiting = expected.remove(ByteBuffer.wrap(arrival.token));
            if (waiting == null || !waiting.complete(arrival.connection)) {
                arrival.connection.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // an abstract name leaves nothing behind to clean up
        }
        arrivals.close();
        for (CompletableFuture<MessageChannel> waiting : expected.values()) {
            waiting.cancel(false);
        }
        expected.clear();
    }

    /** A connection and the token it presented. */
    private static final class Arrival {
        final byte[] token;
        final MessageChannel connection;

        Arrival(byte[] token, MessageChannel connection) {
            this.token = token;
            this.connection = connection;
        }
    }

    /** A launch's token and the connection its worker makes. */
    static final class Expectation {
        final byte[] token;
        final CompletableFuture<MessageChannel> connection;

        Expectation(byte[] token, CompletableFuture<MessageChannel> connection) {
            this.token = token;
            this.connection = connection;
        }
    }
}
