package io.multiprocessing4j.internal.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one rule by which a timeout becomes nanoseconds, a deadline, or the milliseconds of poll(2).
 *
 * <ul>
 *   <li>A negative timeout counts as zero: the call only looks, as Python's do.</li>
 *   <li>A timeout longer than {@link Long#MAX_VALUE} nanoseconds (about 292 years) saturates to
 *       {@link #FOREVER}, which every wait of the library treats as having no end; it never
 *       overflows into a negative or an exception.</li>
 *   <li>A deadline is {@code System.nanoTime() + timeout}, and is only ever compared as a difference
 *       ({@link #remaining}), so that it stays right however far away it lies, {@link #FOREVER}
 *       included, even where the sum wraps around.</li>
 * </ul>
 *
 * <p>Waiting with no timeout at all (Python's {@code None}) is not a duration: callers say so
 * themselves (a null {@code Duration}, or a negative count of nanoseconds where an internal call
 * documents it), and {@link #toPollMillis} maps such a negative count to poll's "no limit".
 *
 * <p>Depends on nothing of the library, so that every package may use it without a cycle.
 */
public final class Durations {
    /** What an overlong timeout saturates to; waits treat it as no limit. */
    public static final long FOREVER = Long.MAX_VALUE;

    private Durations() {
    }

    /**
     * {@code timeout} in nanoseconds: zero if negative, {@link #FOREVER} if longer than a long holds.
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    public static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) { // past Long.MAX_VALUE ns
            return FOREVER;
        }
    }

    /** {@code time} in {@code unit} as nanoseconds, by the same rule as {@link #toNanos(Duration)}. */
    public static long toNanos(long time, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return time <= 0 ? 0 : unit.toNanos(time); // TimeUnit saturates at Long.MAX_VALUE itself
    }

    /** The deadline {@code timeoutNanos} from now on {@link System#nanoTime()}'s scale (may wrap). */
    public static long deadline(long timeoutNanos) {
        return System.nanoTime() + timeoutNanos;
    }

    /** Nanoseconds left until {@code deadline} (from {@link #deadline}), zero once it has passed. */
    public static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * The timeout argument of poll(2) or epoll_wait(2) for a wait of {@code nanos}: rounded up to
     * whole milliseconds, so that a wait never ends early, and at most {@link Integer#MAX_VALUE}
     * (the caller waits again with what remains); {@code -1}, no limit, for a negative count or
     * {@link #FOREVER}.
     */
    public static int toPollMillis(long nanos) {
        if (nanos < 0 || nanos == FOREVER) {
            return -1;
        }
        long millis = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }
}
