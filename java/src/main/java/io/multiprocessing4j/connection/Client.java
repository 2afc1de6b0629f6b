package io.multiprocessing4j.connection;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.internal.connection.ClientSocket;
import io.multiprocessing4j.internal.connection.Handshake;
import java.io.IOException;
import java.net.SocketAddress;

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
     * authenticate without a time limit.
     */
    public static Connection connect(SocketAddress address, byte[] authkey) throws IOException {
        if (authkey != null && authkey.length == 0) {
            throw new IllegalArgumentException("an empty authkey authenticates nothing; pass null for none");
        }
        byte[] abstractName = AbstractUnixAddress.nameOf(address);
        Connection connection = Connection.open(ClientSocket.connect(address, abstractName),
                ClientSocket.transportOf(address, abstractName), true, true);
        if (authkey == null) {
            connection.setDeserializationPolicy(DeserializationPolicy.strangers());
        } else {
            try {
                Handshake.asClient(connection.channel(), authkey, null);
            } catch (IOException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }
}
