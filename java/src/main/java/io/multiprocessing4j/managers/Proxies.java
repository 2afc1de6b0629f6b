package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.time.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;

/** What the proxies share: timeouts as Python takes them, and exceptions that need unwrapping. */
final class Proxies {
    private Proxies() {
    }

    /** {@code timeout} in nanoseconds, saturated; negative is an error, as for the local primitives. */
    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        return Durations.toNanos(timeout);
    }

    /** The {@link BrokenBarrierException} the server sent inside {@code failure}, or null. */
    static BrokenBarrierException brokenBarrier(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BrokenBarrierException) {
                BrokenBarrierException here = new BrokenBarrierException("the manager's barrier is broken");
                here.initCause(failure);
                return here;
            }
        }
        return null;
    }
}
