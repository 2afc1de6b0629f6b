package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.SharedCleaner;
import io.multiprocessing4j.internal.nativ.SharedMemoryCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This process's mapping of a shared memory segment, and the direct buffer over it; the only holder
 * of the mapping's address.
 *
 * <p>Why not {@code FileChannel.map}: the JDK unmaps such a buffer only when the garbage collector
 * finds it unreachable, so closing a segment (even unlinking it) freed none of its memory until a GC.
 * Unmapping at once is no better: any buffer still pointing there would crash the JVM at its next
 * access. {@link #detach()} does neither: it replaces the mapping's pages by private anonymous ones
 * in one {@code mmap(MAP_FIXED)}, so the segment's memory is released at once while every address
 * of the range stays valid: a buffer that outlived the close reads zeros and writes into memory of
 * its own, and no access can fault. The address range itself is given back ({@code munmap}) by a
 * {@link java.lang.ref.Cleaner} once the buffer and all its views are unreachable (a view keeps the
 * buffer it was made from reachable).
 */
final class Mapping {
    private final ByteBuffer buffer;
    private final long address;
    private final long size;
    private final AtomicBoolean detached = new AtomicBoolean();

    private Mapping(long address, long size) {
        this.address = address;
        this.size = size;
        ByteBuffer root = SharedMemoryCalls.directBuffer(address, size);
        SharedCleaner.INSTANCE.register(root, () -> SharedMemoryCalls.unmap(address, size));
        this.buffer = root.order(ByteOrder.nativeOrder());
    }

    /** Maps {@code size} bytes of {@code fd} read-write and shared. */
    static Mapping map(int fd, int size) throws IOException {
        long address = SharedMemoryCalls.mapShared(fd, size);
        try {
            return new Mapping(address, size);
        } catch (RuntimeException | Error e) {
            SharedMemoryCalls.unmap(address, size);
            throw e;
        }
    }

    /** The buffer over the whole mapping, in native byte order. */
    ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Drops this process's hold on the segment's memory now (see the class comment); idempotent.
     * Afterwards the buffer reads zeros.
     */
    void detach() {
        if (detached.compareAndSet(false, true)) {
            try {
                SharedMemoryCalls.detachMapping(address, size);
            } catch (SystemCallException e) {
                // ENOMEM (too many mappings): the shared pages stay mapped until the buffer is collected.
                System.getLogger(Mapping.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot release a mapping of shared memory at once: " + e.getMessage());
            }
        }
    }

    boolean isDetached() {
        return detached.get();
    }
}
