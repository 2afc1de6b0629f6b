package io.multiprocessing4j.connection;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.internal.connection.ClientSocket;
import io.multiprocessing4j.internal.connection.Handshake;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * Connects to a {@link Listener} (Python's {@code multiprocessing.connection.Client}).
 *
 * <pre>{@code
 * try (Connection connection = Client.connect(address, authkey)) {
 *     connection.recv();
 * }
 * }</pre>
 */
public final class Client {
    private Client() {
    }

    /**
     * Connects to {@code address} without authentication. The connection deserializes only what
     * {@link DeserializationPolicy#strangers()} admits, since whoever listens there is unknown;
     * {@link Connection#setDeserializationPolicy} widens it.
     */
    public static Connection connect(SocketAddress address) throws IOException {
        return connect(address, null);
    }

    /**
     * Connects to {@code address} and, with an authkey, proves knowledge of it to the listener and
     * makes the listener prove it in turn, before returning. A wrong key (on either side) gives an
     * {@link AuthenticationException}. As in Python, this waits for the listener to accept and
     * authenticate without a time limit; an interrupt ends the wait
     * ({@link java.io.InterruptedIOException}), and a virtual thread waits without holding its
     * carrier. {@link #connect(SocketAddress, byte[], Duration)} sets a limit.
     */
    public static Connection connect(SocketAddress address, byte[] authkey) throws IOException {
        return connect(address, authkey, ClientSocket.NO_DEADLINE);
    }

    /**
     * As {@link #connect(SocketAddress, byte[])}, within {@code timeout} for the connect and the
     * authentication together: a TCP address that does not answer (a host that is down, a firewall
     * that drops packets) or an AF_UNIX listener whose backlog stays full gives a
     * {@link SocketTimeoutException} once it has passed, where connect(2) would block for
     * minutes or for good; a listener that accepts and then says nothing gives an
     * {@link AuthenticationException} ("timed out"). With a null authkey, the limit covers the
     * connect only.
     *
     * @throws SocketTimeoutException if the connection was not made in time
     */
    public static Connection connect(SocketAddress address, byte[] authkey, Duration timeout) throws IOException {
        return connect(address, authkey, ClientSocket.deadline(Objects.requireNonNull(timeout, "timeout")));
    }

    private static Connection connect(SocketAddress address, byte[] authkey, long deadline) throws IOException {
        if (authkey != null && authkey.length == 0) {
            throw new IllegalArgumentException("an empty authkey authenticates nothing; pass null for none");
        }
        byte[] abstractName = AbstractUnixAddress.nameOf(address);
        Connection connection = Connection.open(ClientSocket.connect(address, abstractName, deadline),
                ClientSocket.transportOf(address, abstractName), true, true);
        if (authkey == null) {
            connection.setDeserializationPolicy(DeserializationPolicy.strangers());
        } else {
            try {
                Handshake.asClient(connection.channel(), authkey, deadline);
            } catch (IOException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }
}
