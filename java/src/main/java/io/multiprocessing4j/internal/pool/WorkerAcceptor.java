package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.connection.AbstractUnixAddress;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.internal.connection.ConnectionAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where a pool's workers connect back to it: a listener on a fresh Linux abstract name, and a
 * thread that accepts. Each launch expects one token (128 random bits, handed to its worker in
 * the worker's target); an accepted connection goes to the launch whose token it presents first,
 * and a connection without a valid token is closed unread. (Anyone on the host may connect to an
 * abstract name, but nobody else knows a token, and nothing is deserialized before it matches.)
 */
final class WorkerAcceptor implements AutoCloseable {
    /** How long an accepted client may take to present its token; a worker does it at once. */
    private static final long TOKEN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AbstractUnixAddress address;
    private final Listener listener;
    private final Map<ByteBuffer, CompletableFuture<Connection>> expected = new ConcurrentHashMap<>();
    private final Thread thread;

    WorkerAcceptor(String poolName) throws IOException {
        this.address = AbstractUnixAddress.random();
        this.listener = new Listener(address);
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
        CompletableFuture<Connection> connection = new CompletableFuture<>();
        expected.put(ByteBuffer.wrap(token), connection);
        return new Expectation(token, connection);
    }

    /** Gives up on a token (its launch failed); a connection that arrives for it later is closed. */
    void forget(byte[] token) {
        CompletableFuture<Connection> connection = expected.remove(ByteBuffer.wrap(token));
        if (connection != null) {
            connection.cancel(false);
            if (connection.isDone() && !connection.isCancelled()) {
                connection.join().close();
            }
        }
    }

    private void acceptUntilClosed() {
        while (!listener.isClosed()) {
            Connection connection;
            try {
                connection = listener.accept();
            } catch (IOException | IllegalStateException closedOrFailed) {
                if (listener.isClosed()) {
                    return;
                }
                continue;
            }
            byte[] token;
            try {
                token = ConnectionAccess.get().channelOf(connection)
                        .recvBytesExactly(Wire.TOKEN_LENGTH, System.nanoTime() + TOKEN_TIMEOUT_NANOS);
            } catch (IOException | RuntimeException silentOrHostile) {
                connection.close();
                continue;
            }
            CompletableFuture<Connection> waiting = expected.remove(ByteBuffer.wrap(token));
            if (waiting == null || !waiting.complete(connection)) {
                connection.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // an abstract name leaves nothing behind to clean up
        }
        for (CompletableFuture<Connection> waiting : expected.values()) {
            waiting.cancel(false);
        }
        expected.clear();
    }

    /** A launch's token and the connection its worker makes. */
    static final class Expectation {
        final byte[] token;
        final CompletableFuture<Connection> connection;

        Expectation(byte[] token, CompletableFuture<Connection> connection) {
            this.token = token;
            this.connection = connection;
        }
    }
}
