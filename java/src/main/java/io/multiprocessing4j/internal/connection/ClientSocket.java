package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.time.Durations;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/** The client side of a socket connection: a socket connected to a listener's address. */
public final class ClientSocket {
    /** {@link #connect}'s deadline for none. */
    public static final long NO_DEADLINE = FrameReader.NO_DEADLINE;

    private ClientSocket() {
    }

    /**
     * A socket connected to {@code address} (TCP_NODELAY for TCP), owned by the caller;
     * {@code abstractName} is the name of an abstract AF_UNIX address, null for other kinds. Waits
     * at most until {@code deadline} ({@link System#nanoTime()}; {@link #NO_DEADLINE} for none),
     * else throws {@link java.net.SocketTimeoutException}; an interrupt ends the wait with
     * {@link java.io.InterruptedIOException}.
     */
    public static OwnedFd connect(SocketAddress address, byte[] abstractName, long deadline) throws IOException {
        return SocketAddresses.connected(Objects.requireNonNull(address, "address"), abstractName, deadline);
    }

    /** The deadline {@code timeout} from now, for {@link #connect}; {@link #NO_DEADLINE} for null or a timeout too long to count. */
    public static long deadline(Duration timeout) {
        long nanos = timeout == null ? Durations.FOREVER : Durations.toNanos(timeout);
        return nanos == Durations.FOREVER ? NO_DEADLINE : Durations.deadline(nanos);
    }

    public static Transport transportOf(SocketAddress address, byte[] abstractName) {
        return SocketAddresses.transportOf(address, abstractName);
    }
}
