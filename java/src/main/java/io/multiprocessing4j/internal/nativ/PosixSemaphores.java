package io.multiprocessing4j.internal.nativ;

import java.nio.ByteBuffer;

/**
 * Binding for native/sem.c: a process-shared POSIX semaphore ({@code sem_t}) at a byte offset of
 * a direct (mapped) buffer. An offset outside the buffer or not 8-byte aligned gives -EINVAL.
 */
public final class PosixSemaphores {
    static {
        NativeLibrary.load();
    }

    private PosixSemaphores() {
    }

    /** sizeof(sem_t). */
    public static native int size();

    /** sem_init(pshared = 1, value); 0 or -errno. */
    public static native int init(ByteBuffer buffer, int offset, int value);

    /** sem_trywait: 0 when a unit was taken, -EAGAIN when there was none. */
    public static native int tryWait(ByteBuffer buffer, int offset);

    /**
     * sem_clockwait on CLOCK_MONOTONIC for at most {@code timeoutNanos} (negative: sem_wait with no
     * limit); signals do not cut it short. 0, -ETIMEDOUT, or another -errno.
     */
    public static native int waitFor(ByteBuffer buffer, int offset, long timeoutNanos);

    /** sem_post: 0, or -EOVERFLOW at SEM_VALUE_MAX. */
    public static native int post(ByteBuffer buffer, int offset);

    /** sem_getvalue, never negative; or -errno. */
    public static native int getValue(ByteBuffer buffer, int offset);
}
