package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.SharedMemoryCalls;
import io.multiprocessing4j.internal.nativ.ShmDirectory;
import io.multiprocessing4j.internal.process.ResourceTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Bytes handed from one process of ours to another through a named shared memory segment used as a
 * file: written once with {@code write}, read once with {@code read}, and unlinked by its reader.
 * A queue carries a message too large for its ring this way, with only the name in the ring.
 *
 * <p>Never mapped, on purpose: a mapping made by {@code FileChannel.map} goes only when the garbage
 * collector finds its buffer unreachable, and until then the segment's memory stays taken even
 * after the unlink. A stream of large messages would fill /dev/shm with memory waiting for a GC.
 * Read and write cost a copy each, which a large message pays anyway.
 *
 * <p>Registered with the resource tracker from before its creation until its reader unlinks it
 * (readers share the writer's tracker: a queue only travels within a process tree), so a segment
 * whose message is never taken, or whose reader is killed before the unlink, is removed once the
 * tree is gone. It is registered as transient: removing it then is no one's mistake to warn about.
 */
public final class HandoffSegment {
    private static final int OWNER_ONLY = 0600;
    /** At most this much of /dev/shm is kept free for everything else (a quarter of it, below that). */
    private static final long MAX_RESERVE_BYTES = 256L << 20;

    private HandoffSegment() {
    }

    /**
     * Stores {@code data} in a new segment and returns its name (without '/'). Space is reserved
     * first: a full /dev/shm is an {@link UncheckedIOException} saying so, never a SIGBUS.
     */
    public static String store(byte[] data) {
        while (true) {
            String name = SegmentNames.random();
            String systemName = SegmentNames.systemName(name);
            ResourceTracker.register(ResourceTracker.Kind.TRANSIENT, systemName);
            int fd = -1;
            try {
                fd = SharedMemoryCalls.shmOpen(systemName, true, OWNER_ONLY);
                if (fd == SharedMemoryCalls.EXISTS) {
                    ResourceTracker.unregister(ResourceTracker.Kind.TRANSIENT, systemName);
                    continue; // 130 random bits collided: draw again
                }
                Segment.reserve(fd, Math.max(data.length, 1));
                writeFully(fd, data);
                return name;
            } catch (IOException e) {
                discard(name);
                throw new UncheckedIOException("cannot store a message of " + data.length
                        + " bytes in shared memory: " + e.getMessage(), e);
            } finally {
                FileDescriptors.closeQuietly(fd);
            }
        }
    }

    /**
     * Whether a segment of {@code size} bytes may be made now without crowding /dev/shm: it must leave
     * a quarter of /dev/shm (at most {@link #MAX_RESERVE_BYTES}) free for everything else, so that a
     * slow consumer cannot make one queue's large messages take all of it (a producer then holds its
     * message back, as for a full queue). A message too large ever to pass that test is tried at once:
     * {@link #store} says clearly if it does not fit. Stateless on purpose: no count
     * shared between processes that a process killed mid-update could leave wrong.
     */
    public static boolean roomFor(long size) {
        FileStore store = DevShm.STORE;
        if (store == null) {
            return true; // cannot tell: let store() find out
        }
        try {
            long total = store.getTotalSpace();
            long reserve = Math.min(total / 4, MAX_RESERVE_BYTES);
            return size + reserve > total || store.getUsableSpace() - size >= reserve;
        } catch (IOException | RuntimeException unknown) {
            return true;
        }
    }

    /**
     * Refuses, with an {@link UncheckedIOException} saying why, a message of {@code size} bytes that
     * /dev/shm could not hold even empty: waiting for room for it would be waiting for ever.
     */
    public static void checkCouldEverHold(long size) {
        FileStore store = DevShm.STORE;
        long total;
        try {
            total = store == null ? Long.MAX_VALUE : store.getTotalSpace();
        } catch (IOException | RuntimeException unknown) {
            return;
        }
        if (size > total) {
            throw new UncheckedIOException(new IOException("a message of " + size + " bytes cannot travel through"
                    + " " + ShmDirectory.path() + ", whose size is " + total + " bytes"));
        }
    }

    /** The shared memory directory's file store (/dev/shm's), looked up once (the lookup reads the mount table). */
    private static final class DevShm {
        static final FileStore STORE = lookUp();

        private static FileStore lookUp() {
            try {
                return Files.getFileStore(Path.of(ShmDirectory.path()));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** Reads the {@code size} bytes stored under {@code name}, then unlinks the segment. */
    public static byte[] take(String name, int size) {
        String systemName = SegmentNames.systemName(name);
        int fd = -1;
        try {
            fd = SharedMemoryCalls.shmOpen(systemName, false, 0);
            if (fd == SharedMemoryCalls.MISSING) {
                throw new NoSuchFileException(name, null, "the segment of a message in the queue is gone");
            }
            byte[] data = new byte[size];
            readFully(fd, data);
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a message of " + size + " bytes from shared memory segment "
                    + name + ": " + e.getMessage(), e);
        } finally {
            FileDescriptors.closeQuietly(fd);
            discard(name);
        }
    }

    /** Unlinks the segment {@code name} (if it is still there) and tells the tracker. */
    public static void discard(String name) {
        String systemName = SegmentNames.systemName(name);
        try {
            SharedMemoryCalls.shmUnlink(systemName); // false: gone already, which is the aim
        } catch (SystemCallException e) {
            return; // still registered: the resource tracker unlinks it when every process of ours is gone
        }
        ResourceTracker.unregister(ResourceTracker.Kind.TRANSIENT, systemName);
    }

    private static void writeFully(int fd, byte[] data) throws IOException {
        int done = 0;
        while (done < data.length) {
            int n = FileDescriptors.write(fd, data, done, data.length - done);
            if (n <= 0) { // 0, or WOULD_BLOCK, which a blocking file never returns
                throw new IOException("write stored nothing after " + done + " of " + data.length + " bytes");
            }
            done += n;
        }
    }

    private static void readFully(int fd, byte[] data) throws IOException {
        int done = 0;
        while (done < data.length) {
            int n = FileDescriptors.read(fd, data, done, data.length - done);
            if (n <= 0) { // EOF, or WOULD_BLOCK, which a blocking file never returns
                throw new IOException("the segment ends after " + done + " of " + data.length + " bytes");
            }
            done += n;
        }
    }
}
