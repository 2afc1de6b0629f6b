package io.multiprocessing4j.internal.nativ;

import java.util.concurrent.TimeUnit;

/** Conversions between a remaining time in nanoseconds and the millisecond timeouts of poll/epoll. */
public final class Timeouts {
    private Timeouts() {
    }

    /** Negative = wait forever (-1); otherwise rounds up, so a wait never ends early. */
    public static int toPollMillis(long remainingNanos) {
        if (remainingNanos < 0) {
            return -1;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(remainingNanos + 999_999);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }
}
