package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.nativ.Errno;
import io.multiprocessing4j.internal.nativ.Errors;
import io.multiprocessing4j.internal.nativ.Futex;
import java.nio.ByteBuffer;

/**
 * Futex sleeps and wake-ups on a word of shared memory, as the primitives use them: a sleep ends
 * for any reason (woken, word changed, slice over) and the caller looks again; anything else the
 * kernel reports is a bug or a broken mapping, thrown as {@link IllegalStateException}.
 */
public final class SharedFutex {
    private SharedFutex() {
    }

    /** Sleeps while the word holds {@code expected}, at most {@code nanos} (at least 1 ns: 0 would mean "for ever"). */
    public static void sleep(ByteBuffer buffer, int offset, int expected, long nanos) {
        int result = Futex.waitWord(buffer, offset, expected, Math.max(nanos, 1));
        if (result < 0 && result != -Errno.EAGAIN && result != -Errno.ETIMEDOUT) {
            throw new IllegalStateException(Errors.exception("futex(FUTEX_WAIT)", -result));
        }
    }

    /** Wakes at most {@code count} sleepers ({@link Futex#ALL} for all). */
    public static void wake(ByteBuffer buffer, int offset, int count) {
        int result = Futex.wake(buffer, offset, count);
        if (result < 0) {
            throw new IllegalStateException(Errors.exception("futex(FUTEX_WAKE)", -result));
        }
    }
}
