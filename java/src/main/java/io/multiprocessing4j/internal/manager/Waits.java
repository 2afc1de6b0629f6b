package io.multiprocessing4j.internal.manager;

import java.util.concurrent.TimeUnit;

/**
 * How a blocking operation waits in the server: never longer than one slice per request. The
 * client asks again until its own deadline, checking between slices whether its thread was
 * interrupted, so an interrupt or a timeout ends a wait within one slice without a cancel
 * message and without losing what the server already handed over (every answer is read). A
 * client that dies while waiting is noticed when its next request does not come.
 */
public final class Waits {
    /** The longest a server thread waits for one request. */
    public static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Waits() {
    }

    /** The wait a request asks for (its first argument), bounded by a slice and never negative. */
    static long sliceOf(Object[] args) {
        long asked = ((Number) args[0]).longValue();
        return Math.max(0, Math.min(asked, SLICE_NANOS));
    }

    /**
     * Waits on {@code monitor} (held by the caller) until {@code deadline} (System.nanoTime);
     * false once the deadline has passed. A spurious wake-up just returns true: callers loop on
     * their condition.
     */
    static boolean waitUntil(Object monitor, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
        } catch (InterruptedException e) {
            // server threads are interrupted only when the process leaves; the caller's loop ends soon
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
