package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.SocketEndpoints;
import io.multiprocessing4j.internal.time.Durations;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A client socket's connect, waited for as the library's other waits are: a virtual thread parks
 * instead of holding its carrier, an interrupt ends the wait ({@link java.io.InterruptedIOException},
 * the socket closed by the caller), and a deadline holds. A blocking connect(2) gives none of this:
 * to a TCP address whose packets are dropped (a firewall, a host gone, a listener whose accept
 * queue is full) it blocks through the kernel's SYN retries, about two minutes, and to an AF_UNIX
 * listener whose backlog is full until that listener accepts, if it ever does.
 *
 * <p>A TCP connect goes on in the kernel while the caller waits for its socket to become writable.
 * An AF_UNIX listener's full backlog offers nothing to wait on, so the connect is started again
 * after a pause that grows from {@link #FIRST_PAUSE_NANOS} to {@link #LONGEST_PAUSE_NANOS}: a
 * client behind a full backlog gets in at most that long after the listener makes room.
 */
final class SocketConnect {
    static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Starts the connect once: one of {@link SocketEndpoints#CONNECTED}, {@code IN_PROGRESS}, {@code BACKLOG_FULL}. */
    interface Start {
        int start() throws SystemCallException;
    }

    private SocketConnect() {
    }

    /**
     * Connects {@code fd} with {@code start}, by {@code deadline} ({@link System#nanoTime()};
     * {@link FrameReader#NO_DEADLINE} for none), else {@link SocketTimeoutException} naming
     * {@code shownAs}.
     */
    static void connect(int fd, Start start, long deadline, Object shownAs) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw ReadinessPoller.interrupted(); // on entry, as every waiting call, even one that could connect at once
        }
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            int started = start.start();
            if (started == SocketEndpoints.CONNECTED) {
                return;
            }
            if (started == SocketEndpoints.IN_PROGRESS) {
                if (ReadinessPoller.awaitWritable(fd, left(deadline), true) == 0) {
                    throw timedOut(shownAs, "no answer: the host is down or drops the packets, or the listener's"
                            + " accept queue is full");
                }
                SocketEndpoints.finishConnect(fd, shownAs);
                return;
            }
            long left = left(deadline);
            if (left == 0) {
                throw timedOut(shownAs, "the listener's backlog stayed full: it is not accepting clients");
            }
            pauseInterruptibly(left < 0 ? pause : Math.min(pause, left));
            pause = Math.min(2 * pause, LONGEST_PAUSE_NANOS);
        }
    }

    /** Nanoseconds left until {@code deadline}; negative for none. */
    private static long left(long deadline) {
        return deadline == FrameReader.NO_DEADLINE ? -1 : Durations.remaining(deadline);
    }

    private static void pauseInterruptibly(long nanos) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw ReadinessPoller.interrupted();
        }
        LockSupport.parkNanos(nanos);
        if (Thread.currentThread().isInterrupted()) {
            throw ReadinessPoller.interrupted();
        }
    }

    private static SocketTimeoutException timedOut(Object shownAs, String why) {
        return new SocketTimeoutException("connect(" + shownAs + ") timed out: " + why);
    }
}
