package io.multiprocessing4j.internal.manager;

import java.util.concurrent.TimeUnit;

/**
 * How a blocking operation waits in the server: one request per wait, for the caller's whole
 * timeout (the request's first argument, in nanoseconds; negative: no limit). The wait ends early,
 * answering {@link Pending#NOT_YET} without having taken anything, when the client cancels it (its
 * thread was interrupted) or goes away: the {@link SessionWatcher} interrupts the waiting thread,
 * which it watches only from its first actual wait on, so an operation that needs no wait costs
 * nothing more.
 */
public final class Waits {
    /** The deadline of a wait without a time limit. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private Waits() {
    }

    /** The deadline (System.nanoTime) of the wait a request asks for (its first argument). */
    static long deadlineOf(Object[] args) {
        long asked = ((Number) args[0]).longValue();
        if (asked < 0) {
            return NO_DEADLINE;
        }
        long now = System.nanoTime();
        long deadline = now + asked;
        return deadline < now ? NO_DEADLINE : deadline; // beyond centuries: as good as none
    }

    /** Nanoseconds left until {@code deadline}, never negative; -1 for {@link #NO_DEADLINE}. */
    static long remaining(long deadline) {
        return deadline == NO_DEADLINE ? -1 : Math.max(0, deadline - System.nanoTime());
    }

    /**
     * Waits on {@code monitor} (held by the caller) for a notify, until {@code deadline}; false once
     * the deadline has passed or {@code caller}'s wait was cancelled (then the operation answers
     * {@link Pending#NOT_YET}). A spurious wake-up just returns true: callers loop on their condition.
     */
    static boolean waitUntil(Object monitor, long deadline, Caller caller) {
        long remaining = remaining(deadline);
        if (remaining == 0 || !caller.session().watchForCancel()) {
            return false;
        }
        try {
            if (remaining < 0) {
                monitor.wait();
            } else {
                TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
            }
        } catch (InterruptedException cancelled) {
            return false;
        }
        return true;
    }
}
