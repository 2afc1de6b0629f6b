package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.nativ.OwnedFd;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.Objects;

/** The client side of a socket connection: a socket connected to a listener's address. */
public final class ClientSocket {
    private ClientSocket() {
    }

    /**
     * A socket connected to {@code address} (TCP_NODELAY for TCP), owned by the caller;
     * {@code abstractName} is the name of an abstract AF_UNIX address, null for other kinds.
     */
    public static OwnedFd connect(SocketAddress address, byte[] abstractName) throws IOException {
        return SocketAddresses.connected(Objects.requireNonNull(address, "address"), abstractName);
    }

    public static Transport transportOf(SocketAddress address, byte[] abstractName) {
        return SocketAddresses.transportOf(address, abstractName);
    }
}
