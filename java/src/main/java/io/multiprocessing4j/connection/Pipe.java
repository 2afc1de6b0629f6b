package io.multiprocessing4j.connection;

import io.multiprocessing4j.internal.connection.Transport;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.Sockets;
import java.io.IOException;

/**
 * A pair of connected {@link Connection}s (Python's {@code multiprocessing.Pipe()}).
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();              // duplex: both ends send and receive (a socketpair)
 * Pipe oneWay = Pipe.open(false);       // first() only receives, second() only sends (a pipe)
 * }</pre>
 *
 * Typically one end is handed to a child process (captured by its target) and the other kept.
 * Closing the pipe closes both ends of it in this process.
 */
public final class Pipe implements AutoCloseable {
    private final Connection first;
    private final Connection second;

    private Pipe(Connection first, Connection second) {
        this.first = first;
        this.second = second;
    }

    /** A duplex pipe: an AF_UNIX socketpair; its ends can also pass connections on. */
    public static Pipe open() throws IOException {
        return open(true);
    }

    /**
     * A duplex pipe (socketpair), or with {@code duplex == false} a one-way pipe (pipe2) whose
     * {@link #first()} end only receives and {@link #second()} end only sends, as in Python.
     */
    public static Pipe open(boolean duplex) throws IOException {
        int[] fds = new int[2];
        if (duplex) {
            Sockets.socketpair(fds);
        } else {
            FileDescriptors.pipe(fds);
        }
        OwnedFd firstFd = new OwnedFd(fds[0]);
        OwnedFd secondFd = new OwnedFd(fds[1]);
        if (duplex) {
            return new Pipe(Connection.open(firstFd, Transport.UNIX_SOCKET, true, true),
                    Connection.open(secondFd, Transport.UNIX_SOCKET, true, true));
        }
        return new Pipe(Connection.open(firstFd, Transport.PIPE, true, false),
                Connection.open(secondFd, Transport.PIPE, false, true));
    }

    /** The first end (the read end of a one-way pipe). */
    public Connection first() {
        return first;
    }

    /** The second end (the write end of a one-way pipe). */
    public Connection second() {
        return second;
    }

    /** Closes both ends in this process. */
    @Override
    public void close() {
        first.close();
        second.close();
    }

    @Override
    public String toString() {
        return "Pipe[" + first + ", " + second + "]";
    }
}
