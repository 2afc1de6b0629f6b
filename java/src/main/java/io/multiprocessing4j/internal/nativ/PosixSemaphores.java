package io.multiprocessing4j.internal.nativ;

import java.nio.ByteBuffer;

/**
 * Binding for native/posix_semaphores.c: a process-shared POSIX semaphore ({@code sem_t}) at a byte offset of
 * a direct (mapped) buffer. An offset outside the buffer or not 8-byte aligned gives -EINVAL.
 */
public final class PosixSemaphores {
    private PosixSemaphores() {
    }

    /** sizeof(sem_t). */
    public static int size() {
        NativeLibrary.load();
        return size0();
    }

    private static native int size0();

    /** sem_init(pshared = 1, value); 0 or -errno. */
    public static int init(ByteBuffer buffer, int offset, int value) {
        NativeLibrary.load();
        return init0(buffer, offset, value);
    }

    private static native int init0(ByteBuffer buffer, int offset, int value);

    /** sem_trywait: 0 when a unit was taken, -EAGAIN when there was none. */
    public static int tryWait(ByteBuffer buffer, int offset) {
        NativeLibrary.load();
        return tryWait0(buffer, offset);
    }

    private static native int tryWait0(ByteBuffer buffer, int offset);

    /**
     * sem_clockwait on CLOCK_MONOTONIC for at most {@code timeoutNanos} (negative: sem_wait with no
     * limit); signals do not cut it short. 0, -ETIMEDOUT, or another -errno.
     */
    public static int waitFor(ByteBuffer buffer, int offset, long timeoutNanos) {
        NativeLibrary.load();
        return waitFor0(buffer, offset, timeoutNanos);
    }

    private static native int waitFor0(ByteBuffer buffer, int offset, long timeoutNanos);

    /** sem_post: 0, or -EOVERFLOW at SEM_VALUE_MAX. */
    public static int post(ByteBuffer buffer, int offset) {
        NativeLibrary.load();
        return post0(buffer, offset);
    }

    private static native int post0(ByteBuffer buffer, int offset);

    /** sem_getvalue, never negative; or -errno. */
    public static int getValue(ByteBuffer buffer, int offset) {
        NativeLibrary.load();
        return getValue0(buffer, offset);
    }

    private static native int getValue0(ByteBuffer buffer, int offset);
}
