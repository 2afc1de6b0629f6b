package io.multiprocessing4j.sharedmemory;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.shm.SegmentNames;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * A named block of shared memory: Python's {@code multiprocessing.shared_memory.SharedMemory}.
 *
 * <pre>{@code
 * SharedMemory block = SharedMemory.create(1024);       // a fresh, unguessable name
 * block.buf().put(0, (byte) 42);
 * // in any process of the same user, ours or not:
 * SharedMemory same = SharedMemory.attach(block.name());
 * ...
 * same.close();
 * block.close();
 * block.unlink();                                        // the creator removes the name
 * }</pre>
 *
 * <p>As in Python, the block stays (under its name, in /dev/shm) until {@link #unlink()}, which the
 * creator is expected to call once; {@link #close()} ends this process's use of it. If the creator's
 * process tree ends without unlinking, even by SIGKILL, the resource tracker unlinks it and warns.
 * A {@code SharedMemory} captured by a child's target attaches to the block by name in the child.
 *
 * <p>Its space is reserved when created: a request larger than what /dev/shm has free fails there,
 * with an {@link IOException} saying so, never with a SIGBUS later. Blocks are created exclusively,
 * readable and writable by their owner only. Sizes are 1 byte to 2 GiB - 1.
 *
 * <p>{@link #close()} releases this process's mapping at once, without waiting for the garbage
 * collector: after {@code close()} and {@code unlink()} (and once no other process maps the block),
 * its memory is back in /dev/shm. Afterwards {@link #buf()} throws {@link IllegalStateException}.
 * Buffers that {@link #buf()} handed out before the close cannot crash the JVM: from the close on
 * they read zeros, and what is written through them stays private to this process and reaches
 * nobody (the address range is given back when they are garbage collected).
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final Segment segment;

    private SharedMemory(Segment segment) {
        this.segment = segment;
    }

    /** Creates a block of {@code size} zeroed bytes under a fresh, unguessable name. */
    public static SharedMemory create(int size) throws IOException {
        while (true) {
            try {
                return new SharedMemory(Segment.createNamed(SegmentNames.random(), size));
            } catch (FileAlreadyExistsException improbable) {
                // 130 random bits collided: draw again
            }
        }
    }

    /**
     * Creates a block of {@code size} zeroed bytes named {@code name} (a leading '/' is optional);
     * {@link FileAlreadyExistsException} if that name is taken.
     */
    public static SharedMemory create(String name, int size) throws IOException {
        return new SharedMemory(Segment.createNamed(SegmentNames.validate(name), size));
    }

    /** Attaches to the existing block {@code name}; {@link NoSuchFileException} if there is none. */
    public static SharedMemory attach(String name) throws IOException {
        return new SharedMemory(Segment.openNamed(SegmentNames.validate(name)));
    }

    /** The block's name, without a leading '/', as {@link #attach} takes it. */
    public String name() {
        return segment.name();
    }

    /** The size in bytes. */
    public int size() {
        return segment.size();
    }

    /**
     * A view of the whole block (Python's {@code buf}): position 0, limit {@link #size()}, big-endian
     * like every new ByteBuffer. Each call returns a new view, so threads do not share positions.
     */
    public ByteBuffer buf() {
        segment.checkOpen();
        return segment.buffer().duplicate().order(java.nio.ByteOrder.BIG_ENDIAN);
    }

    /** Throws {@link IllegalStateException} once closed. */
    void checkOpen() {
        segment.checkOpen();
    }

    /**
     * Ends this process's use of the block and releases its mapping now (see the class comment);
     * afterwards {@link #buf()} throws. Idempotent.
     */
    @Override
    public void close() {
        segment.release();
    }

    /**
     * Removes the block's name (Python's {@code unlink()}): no process can attach to it any more,
     * and its memory goes once every process has stopped using it. Call it once, from one process;
     * {@link NoSuchFileException} if the name is already gone.
     */
    public void unlink() throws IOException {
        Segment.unlinkNamed(segment.name());
    }

    @Override
    public String toString() {
        return "SharedMemory[name=" + name() + ", size=" + size() + (segment.isClosed() ? ", closed]" : "]");
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedMemory(segment);
    }
}
