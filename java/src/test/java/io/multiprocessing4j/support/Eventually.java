package io.multiprocessing4j.support;

import java.time.Duration;

/** Waiting, with a bound, for something another process does in its own time (a tracker's cleanup, say). */
public final class Eventually {
    /** A condition that may take a while to hold. */
    public interface Check {
        boolean holds() throws Exception;
    }

    private Eventually() {
    }

    /** Whether {@code check} holds within {@code bound}, looking every 50 ms (and once more at the end). */
    public static boolean within(Duration bound, Check check) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return true;
            }
            Thread.sleep(50);
        }
        return check.holds();
    }
}
