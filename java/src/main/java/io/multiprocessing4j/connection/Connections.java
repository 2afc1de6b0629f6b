package io.multiprocessing4j.connection;

import io.multiprocessing4j.internal.connection.ReadinessPoller;
import io.multiprocessing4j.internal.connection.ReadinessWait;
import io.multiprocessing4j.internal.time.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Waiting on several connections at once: Python's {@code multiprocessing.connection.wait}.
 * {@code Multiprocessing.wait} takes processes as well and comes here for the rest.
 */
public final class Connections {
    private Connections() {
    }

    /**
     * Waits until at least one of {@code objects} is ready and returns the ready ones, in the
     * order given; see {@link #wait(Collection, Duration)}. Waits indefinitely.
     */
    public static <T> List<T> wait(Collection<? extends T> objects) throws IOException {
        Objects.requireNonNull(objects, "objects");
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("nothing to wait for: the collection is empty");
        }
        return awaitReady(objects, -1);
    }

    /**
     * Waits up to {@code timeout} until at least one of {@code objects} is ready and returns the
     * ready ones, in the order given; an empty list when the time ran out. A negative timeout
     * counts as zero.
     *
     * <p>The objects may be:
     * <ul>
     *   <li>a {@link Connection}: ready when a message (or the end of the stream) can be received;
     *   <li>a {@link Listener}: ready when a client waits to be accepted;
     *   <li>an {@link Integer}: a raw file descriptor, such as a process's sentinel, ready when readable.
     * </ul>
     * Closing one of the connections or listeners from another thread wakes the wait, which then
     * returns it as ready. {@link Thread#interrupt()} ends the wait with
     * {@link java.io.InterruptedIOException} (the interrupt status stays set); an interrupted
     * thread gets it at once, whatever the timeout. At most 1024 objects; a closed connection or an
     * fd that is not open is an error.
     */
    public static <T> List<T> wait(Collection<? extends T> objects, Duration timeout) throws IOException {
        Objects.requireNonNull(objects, "objects");
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.currentThread().isInterrupted()) {
            throw ReadinessPoller.interrupted();
        }
        return awaitReady(objects, Durations.toNanos(timeout));
    }

    private static <T> List<T> awaitReady(Collection<? extends T> objects, long timeoutNanos) throws IOException {
        List<T> given = new ArrayList<>(objects);
        Object[] targets = new Object[given.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = waitTarget(given.get(i));
        }
        boolean[] ready = ReadinessWait.await(targets, timeoutNanos);
        List<T> result = new ArrayList<>();
        for (int i = 0; i < ready.length; i++) {
            if (ready[i]) {
                result.add(given.get(i));
            }
        }
        return result;
    }

    private static Object waitTarget(Object object) {
        if (object instanceof Connection) {
            return ((Connection) object).channel();
        }
        if (object instanceof Listener) {
            return ((Listener) object).waitable();
        }
        if (object instanceof Integer) {
            int fd = (Integer) object;
            if (fd < 0) {
                throw new IllegalArgumentException("not a file descriptor: " + fd);
            }
            return fd;
        }
        throw new IllegalArgumentException("cannot wait for " + (object == null ? "null"
                : "a " + object.getClass().getName()) + ": expected a Connection, Listener or Integer file descriptor");
    }
}
