package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;
import java.nio.ByteBuffer;

/**
 * A few bytes of native memory for a probe or a rehearsal of what is done to a segment (glibc's
 * semaphore layout, VarHandle access to shared words), freed at {@link #close()}: an anonymous
 * shared mapping with a direct buffer over it, the same class of buffer as a segment's mapping.
 * Not {@code ByteBuffer.allocateDirect}: from JDK 26 on, the first buffer it makes starts a thread
 * of the JDK's ("InnocuousThread-1", which frees such buffers) in every process that probes, warm
 * spares included, for memory that lives a few microseconds.
 *
 * <p>The buffer must not be used after {@link #close()}: its pages are gone.
 */
public final class ScratchBuffer implements AutoCloseable {
    private final long address;
    private final long size;
    private final ByteBuffer buffer;
    private boolean closed;

    private ScratchBuffer(long address, long size) {
        this.address = address;
        this.size = size;
        this.buffer = SharedMemoryCalls.directBuffer(address, size);
    }

    /** {@code size} zeroed bytes, page-aligned. */
    public static ScratchBuffer allocate(long size) throws SystemCallException {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        long address = SharedMemoryCalls.mapAnonymousShared(size);
        try {
            return new ScratchBuffer(address, size);
        } catch (RuntimeException | Error e) {
            SharedMemoryCalls.unmap(address, size);
            throw e;
        }
    }

    /** The memory, as a direct buffer (big-endian as any new buffer; VarHandles over it pick their own order). */
    public ByteBuffer buffer() {
        if (closed) {
            throw new IllegalStateException("scratch buffer closed");
        }
        return buffer;
    }

    /** Where the memory starts (for ScratchBufferTest, which looks for it in /proc/self/maps). */
    long address() {
        return address;
    }

    /** Unmaps the memory; once. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            SharedMemoryCalls.unmap(address, size);
        }
    }
}
