package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.Sockets;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OS side of a connection or listener: the fd, its transport, and how a close reaches calls
 * that are blocked on it.
 *
 * <p>Every system call on the fd runs between {@link #begin()} and {@link #end()} (or their
 * blocking variants), which keep the number open (see {@link OwnedFd}); calls that may block are
 * also counted as in flight. Closing while calls are in
 * flight shuts a socket down, which wakes a blocked recv, send, poll or accept at once; the call
 * then reports an {@link AsynchronousCloseException}. A shutdown acts on the socket, not on this
 * process's fd: a copy held by another process sees the end of the connection too. That is why it
 * is done only when a call of this process is actually blocked. Pipes cannot be shut down; a call
 * blocked on a pipe returns when the other end acts.
 */
public final class FdChannel {
    private final OwnedFd fd;
    private final Transport transport;
    /** Calls between begin() and end(); read after marking closed (see close()). */
    private final AtomicInteger callsInFlight = new AtomicInteger();

    public FdChannel(OwnedFd fd, Transport transport) {
        this.fd = fd;
        this.transport = transport;
    }

    public Transport transport() {
        return transport;
    }

    /** The owner of the fd, for handing it to another process. */
    public OwnedFd ownedFd() {
        return fd;
    }

    /** The fd number, for display and fileno(); it stays valid only until close. */
    public int number() {
        return fd.fd();
    }

    public boolean isClosed() {
        return fd.isClosed();
    }

    /**
     * Starts a call that may block: returns the fd, kept open until {@link #endBlocking()}, and
     * counts the call as one a close must wake. Throws if closed.
     */
    public int beginBlocking() {
        callsInFlight.incrementAndGet();
        int number = fd.acquire();
        if (number < 0) {
            callsInFlight.decrementAndGet();
            throw closed();
        }
        return number;
    }

    public void endBlocking() {
        fd.release();
        callsInFlight.decrementAndGet();
    }

    /** Starts a call that cannot block (a zero-timeout poll, say): no wake-up needed. */
    public int begin() {
        int number = fd.acquire();
        if (number < 0) {
            throw closed();
        }
        return number;
    }

    public void end() {
        fd.release();
    }

    /**
     * After a call returned early or failed: if the reason is a close by another thread, the
     * exception to report instead of the call's own result.
     */
    public AsynchronousCloseException closedDuringCall() {
        return fd.isClosed() ? new AsynchronousCloseException() : null;
    }

    /** Closes the fd (once the calls in flight have ended), waking them first. Idempotent. */
    public void close() {
        int number = fd.acquire(); // our own hold keeps the number valid for the shutdown below
        if (number < 0) {
            return;
        }
        try {
            fd.close();
            // A call that counted itself in before this read will block or has blocked on a live fd;
            // one that counts itself in later finds the fd closed in begin() (both sides use
            // sequentially consistent atomics, so one of the two must see the other).
            if (callsInFlight.get() > 0 && transport.isSocket()) {
                Sockets.shutdown(number, Sockets.SHUT_RDWR);
            }
        } finally {
            fd.release();
        }
    }

    /** Python's message for using a closed connection. */
    public static IllegalStateException closed() {
        return new IllegalStateException("handle is closed");
    }

    @Override
    public String toString() {
        return transport + " fd " + fd.fd() + (fd.isClosed() ? " (closed)" : "");
    }
}
