package io.multiprocessing4j.internal.sync;

import java.util.concurrent.TimeUnit;

/**
 * How the primitives wait.
 *
 * <p>A blocked thread parks ({@link SharedFutex#sleep}), so an interrupt reaches it at once and a
 * virtual thread never holds its carrier. A lock waiter checks now and then whether the holder is
 * still alive ({@link #LIVENESS_PERIOD_NANOS}).
 *
 * <p>Before sleeping, a waiter spins for a moment: a holder in another process usually lets go
 * within a few hundred nanoseconds, while a futex sleep and wake-up costs microseconds on both
 * sides (an Event ping-pong between two processes takes about 0.5 µs when both stay awake, over
 * 10 µs when they sleep).
 */
public final class WaitPolicy {
    /** How long a lock waiter waits before it first checks that the holder lives, and then how often. */
    public static final long LIVENESS_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * How long a waiter spins before it sleeps: longer than a futex sleep and wake-up take on a
     * loaded machine (so that a quick answer from another process is caught awake), short enough
     * that a long wait costs next to nothing. Measured in time, not iterations, because a
     * spin-wait hint costs from ten to well over a hundred cycles depending on the CPU.
     */
    public static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    /**
     * Spins until {@code condition} holds or {@link #SPIN_NANOS} have passed; returns whether it
     * holds. Reads the clock only every few iterations.
     */
    public static boolean spinUntil(java.util.function.BooleanSupplier condition) {
        long began = System.nanoTime();
        for (int i = 1; ; i++) {
            Thread.onSpinWait();
            if (condition.getAsBoolean()) {
                return true;
            }
            if ((i & 7) == 0 && System.nanoTime() - began > SPIN_NANOS) {
                return false;
            }
        }
    }

    private WaitPolicy() {
    }
}
