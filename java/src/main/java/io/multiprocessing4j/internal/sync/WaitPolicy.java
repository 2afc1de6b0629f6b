package io.multiprocessing4j.internal.sync;

import java.util.concurrent.TimeUnit;

/**
 * How the primitives wait.
 *
 * <p>A blocked thread sleeps in the kernel (futex or sem_clockwait), which {@link
 * Thread#interrupt()} cannot reach without signals. So every sleep is cut into slices of at most
 * {@link #SLICE_NANOS}; between slices the waiter checks its interrupt status and its deadline,
 * and a lock waiter whether the holder is still alive. The last slice ends exactly at the deadline,
 * so timeouts stay exact.
 *
 * <p>Before sleeping, a waiter spins for a moment: a holder in another process usually lets go
 * within a few hundred nanoseconds, while a futex sleep and wake-up costs microseconds on both sides.
 */
public final class WaitPolicy {
    /** Longest uninterrupted sleep: bounds how late an interrupt is noticed. */
    public static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long a lock waiter waits before it first checks that the holder lives, and then how often. */
    public static final long LIVENESS_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Spin iterations before sleeping. */
    public static final int SPINS = 200;

    private WaitPolicy() {
    }

    /** Nanoseconds for a timeout argument, saturating; negative timeouts are the caller's to refuse. */
    public static long toNanos(java.time.Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The deadline {@code timeoutNanos} from now on System.nanoTime's scale. It may wrap around;
     * compare it only as {@code deadline - System.nanoTime()}, which stays right for any timeout.
     */
    public static long deadline(long timeoutNanos) {
        return System.nanoTime() + timeoutNanos;
    }
}
