package io.multiprocessing4j.internal.nativ;

import java.nio.ByteBuffer;

/**
 * Peer of native/futex.c: process-shared futex wait and wake on a 32-bit word of a direct
 * (mapped) buffer, addressed as buffer + byte offset. Outcomes are int constants (no allocation on
 * the lock and queue paths); the only failures are bugs (a word outside the buffer or misaligned,
 * EINVAL), thrown as IllegalStateException (see {@link Errors}).
 */
public final class Futex {
    /** For {@link #wake}: every waiter. */
    public static final int ALL = Integer.MAX_VALUE;

    /** {@link #waitWord}: woken by a wake, a signal, or spuriously: look at the word again. */
    public static final int WOKEN = 0;
    /** {@link #waitWord}: the word did not hold the expected value (EAGAIN), so no sleep. */
    public static final int VALUE_DIFFERED = 1;
    /** {@link #waitWord}: the time ran out (ETIMEDOUT). */
    public static final int TIMED_OUT = 2;

    private Futex() {
    }

    private static native int waitWord0(ByteBuffer buffer, int offset, int expected, long timeoutNanos);

    private static native int wake0(ByteBuffer buffer, int offset, int count);

    /**
     * Sleeps while the word holds {@code expected}, for at most {@code timeoutNanos} (negative: no
     * limit) on CLOCK_MONOTONIC: {@link #WOKEN}, {@link #VALUE_DIFFERED} or {@link #TIMED_OUT}.
     */
    public static int waitWord(ByteBuffer buffer, int offset, int expected, long timeoutNanos) {
        NativeLibrary.load();
        int result = waitWord0(buffer, offset, expected, timeoutNanos);
        if (result == 0 || result == -Errno.EINTR) {
            return WOKEN;
        }
        if (result == -Errno.EAGAIN) {
            return VALUE_DIFFERED;
        }
        if (result == -Errno.ETIMEDOUT) {
            return TIMED_OUT;
        }
        throw Errors.bug("futex(FUTEX_WAIT)", result);
    }

    /** Wakes at most {@code count} waiters; returns how many were woken. */
    public static int wake(ByteBuffer buffer, int offset, int count) {
        NativeLibrary.load();
        int result = wake0(buffer, offset, count);
        if (result < 0) {
            throw Errors.bug("futex(FUTEX_WAKE)", result);
        }
        return result;
    }
}
