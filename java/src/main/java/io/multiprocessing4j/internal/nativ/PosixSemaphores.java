package io.multiprocessing4j.internal.nativ;

import java.nio.ByteBuffer;

/**
 * Peer of native/posix_semaphores.c: a process-shared POSIX semaphore ({@code sem_t}) at a byte
 * offset of a direct (mapped) buffer. Outcomes are booleans; the only failures are bugs (an offset
 * outside the buffer or not 8-byte aligned), thrown as IllegalStateException (see {@link Errors}).
 */
public final class PosixSemaphores {
    private PosixSemaphores() {
    }

    private static native int size0();

    private static native int init0(ByteBuffer buffer, int offset, int value);

    private static native int tryWait0(ByteBuffer buffer, int offset);

    private static native int waitFor0(ByteBuffer buffer, int offset, long timeoutNanos);

    private static native int post0(ByteBuffer buffer, int offset);

    private static native int getValue0(ByteBuffer buffer, int offset);

    /** sizeof(sem_t). */
    public static int size() {
        NativeLibrary.load();
        return size0();
    }

    /**
     * sem_init(pshared = 1, value); false when the offset is no place for a sem_t (outside the
     * buffer or misaligned: EINVAL), which the layout probe relies on.
     */
    public static boolean init(ByteBuffer buffer, int offset, int value) {
        NativeLibrary.load();
        int result = init0(buffer, offset, value);
        if (result == -Errno.EINVAL) {
            return false;
        }
        check(result, "sem_init");
        return true;
    }

    /** sem_trywait: whether a unit was taken (false: there was none, EAGAIN). */
    public static boolean tryWait(ByteBuffer buffer, int offset) {
        NativeLibrary.load();
        int result = tryWait0(buffer, offset);
        return result != -Errno.EAGAIN && check(result, "sem_trywait") == 0;
    }

    /**
     * Takes a unit, sleeping at most {@code timeoutNanos} (negative: no limit) on CLOCK_MONOTONIC;
     * signals do not cut it short. False when the time ran out.
     */
    public static boolean waitFor(ByteBuffer buffer, int offset, long timeoutNanos) {
        NativeLibrary.load();
        int result = waitFor0(buffer, offset, timeoutNanos);
        return result != -Errno.ETIMEDOUT && check(result, "sem_timedwait") == 0;
    }

    /** sem_post: false at SEM_VALUE_MAX (EOVERFLOW), when nothing was added. */
    public static boolean post(ByteBuffer buffer, int offset) {
        NativeLibrary.load();
        int result = post0(buffer, offset);
        return result != -Errno.EOVERFLOW && check(result, "sem_post") == 0;
    }

    /** sem_getvalue, never negative. */
    public static int getValue(ByteBuffer buffer, int offset) {
        NativeLibrary.load();
        return check(getValue0(buffer, offset), "sem_getvalue");
    }

    private static int check(int result, String call) {
        if (result < 0) {
            throw Errors.bug(call, result);
        }
        return result;
    }
}
