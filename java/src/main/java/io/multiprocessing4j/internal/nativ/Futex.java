package io.multiprocessing4j.internal.nativ;

import java.nio.ByteBuffer;

/**
 * Binding for native/futex.c: process-shared futex wait and wake on a 32-bit word of a direct
 * (mapped) buffer, addressed as buffer + byte offset. A word outside the buffer or misaligned
 * gives -EINVAL, never a stray access.
 */
public final class Futex {
    /** For {@link #wake}: every waiter. */
    public static final int ALL = Integer.MAX_VALUE;

    private Futex() {
    }

    /**
     * Sleeps while the word holds {@code expected}, for at most {@code timeoutNanos} (negative: no
     * limit) on CLOCK_MONOTONIC; signals do not cut the wait short. 0 when woken (perhaps
     * spuriously), -EAGAIN when the word held another value, -ETIMEDOUT, or another -errno.
     */
    public static int waitWord(ByteBuffer buffer, int offset, int expected, long timeoutNanos) {
        NativeLibrary.load();
        return waitWord0(buffer, offset, expected, timeoutNanos);
    }

    private static native int waitWord0(ByteBuffer buffer, int offset, int expected, long timeoutNanos);

    /** Wakes at most {@code count} waiters; returns how many were woken, or -errno. */
    public static int wake(ByteBuffer buffer, int offset, int count) {
        NativeLibrary.load();
        return wake0(buffer, offset, count);
    }

    private static native int wake0(ByteBuffer buffer, int offset, int count);
}
