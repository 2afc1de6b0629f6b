package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.nativ.FileDescriptors;
import java.io.IOException;

/**
 * Waits until at least one of several things is ready (Python's {@code connection.wait}): a
 * {@link Waitable} (connection or listener) or a raw fd (a process sentinel), through the
 * {@link ReadinessPoller} (the waiting thread parks; an interrupt ends the wait with an
 * {@link java.io.InterruptedIOException}); a connection with input already buffered is ready
 * without waiting, and then the others are only checked, not waited for.
 *
 * <p>Each waitable's fd is held open for the duration (see {@link FdChannel}), so closing one of
 * them from another thread wakes the wait instead of leaving it polling a stale fd number.
 */
public final class ReadinessWait {
    /** What one poll(2) call takes at most (native/file_descriptors.c). */
    public static final int MAX_TARGETS = 1024;
    private static final int READY = FileDescriptors.POLLIN | FileDescriptors.POLLHUP | FileDescriptors.POLLERR;

    private ReadinessWait() {
    }

    /**
     * {@code targets[i]} is a {@link Waitable} or an {@link Integer} fd. Waits up to
     * {@code timeoutNanos} (negative: forever); returns which are ready (none on timeout).
     */
    public static boolean[] await(Object[] targets, long timeoutNanos) throws IOException {
        return await(targets, timeoutNanos, false);
    }

    /**
     * As {@link #await(Object[], long)}, but in poll(2) on the calling thread, not parked (see
     * {@link ReadinessPoller#awaitAnyInKernel}): for the library's own threads, which nothing
     * interrupts.
     */
    public static boolean[] awaitInKernel(Object[] targets, long timeoutNanos) throws IOException {
        return await(targets, timeoutNanos, true);
    }

    private static boolean[] await(Object[] targets, long timeoutNanos, boolean inKernel) throws IOException {
        int count = targets.length;
        if (count > MAX_TARGETS) {
            throw new IllegalArgumentException("cannot wait for more than " + MAX_TARGETS + " objects at once");
        }
        int[] fds = new int[count];
        int[] events = new int[count];
        int[] revents = new int[count];
        boolean[] ready = new boolean[count];
        Waitable[] held = new Waitable[count];
        boolean readyNow = false;
        try {
            for (int i = 0; i < count; i++) {
                events[i] = FileDescriptors.POLLIN;
                if (targets[i] instanceof Waitable) {
                    Waitable waitable = (Waitable) targets[i];
                    fds[i] = waitable.fdChannel().beginBlocking();
                    held[i] = waitable;
                    if (waitable.readyWithoutWaiting()) {
                        ready[i] = true;
                        readyNow = true;
                    }
                } else {
                    fds[i] = (Integer) targets[i];
                }
            }
            if (inKernel) {
                ReadinessPoller.awaitAnyInKernel(fds, revents, readyNow ? 0 : timeoutNanos);
            } else {
                ReadinessPoller.awaitAny(fds, revents, readyNow ? 0 : timeoutNanos, true);
            }
        } finally {
            for (Waitable waitable : held) {
                if (waitable != null) {
                    waitable.fdChannel().endBlocking();
                }
            }
        }
        for (int i = 0; i < count; i++) {
            if ((revents[i] & FileDescriptors.POLLNVAL) != 0) {
                throw new IllegalArgumentException("file descriptor " + fds[i] + " is not open");
            }
            if ((revents[i] & READY) != 0) {
                ready[i] = true;
            }
        }
        return ready;
    }
}
