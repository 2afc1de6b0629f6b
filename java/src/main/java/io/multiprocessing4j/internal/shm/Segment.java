package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.NoSpaceException;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.SharedMemoryCalls;
import io.multiprocessing4j.internal.nativ.ShmDirectory;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One POSIX shared memory segment, mapped into this process.
 *
 * <p>Two kinds:
 * <ul>
 *   <li><b>anonymous</b> (locks, values, arrays): created under a random name that is unlinked at
 *       once, so the memory lives exactly as long as some process maps it or holds its fd, and
 *       nothing remains in /dev/shm whatever happens to the processes. The fd is kept to hand the
 *       segment to other processes of ours ({@link FdTransfer}); the resource tracker covers the
 *       instant between creation and unlinking.</li>
 *   <li><b>named</b> ({@code SharedMemory}): stays in /dev/shm under its name until unlinked, so
 *       any process of the user can attach to it; it travels by name.</li>
 * </ul>
 *
 * <p>The mapping is a {@link Mapping}: {@link #close()} closes the fd and marks the segment closed
 * (its users then refuse to work) and leaves the mapping to the garbage collector, for users that
 * may still touch the memory from another thread; {@link #release()} also drops the mapping's hold
 * on the memory at once, safely (a stale buffer then reads zeros, never faults). Its buffer is in
 * native byte order.
 *
 * <p>Space is reserved at creation with {@code posix_fallocate}: a full /dev/shm is an exception
 * here, never a SIGBUS at the first write.
 */
public final class Segment implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Owner read/write only: another user must not attach to our memory. */
    private static final int OWNER_ONLY = 0600;

    private final transient OwnedFd fd;
    private final transient Mapping mapping;
    private final transient ByteBuffer buffer;
    private final transient int size;
    private final transient String name;
    private final transient String what;
    private transient volatile boolean closed;

    private Segment(OwnedFd fd, Mapping mapping, int size, String name, String what) {
        this.fd = fd;
        this.mapping = mapping;
        this.buffer = mapping.buffer();
        this.size = size;
        this.name = name;
        this.what = what;
    }

    /**
     * A new anonymous segment of {@code size} zeroed bytes for a {@code what} ("Lock", ...).
     * Failures (no space, too many open files) are unchecked: they are resource exhaustion, not
     * something a caller of {@code new Lock()} is expected to handle.
     */
    public static Segment createAnonymous(int size, String what) {
        if (size <= 0) {
            throw new IllegalArgumentException("segment size must be positive: " + size);
        }
        return reservedAndMapped(anonymousFd(what), size, what);
    }

    /**
     * A new anonymous file for a segment: in /dev/shm, unlinked as soon as it is open (the resource
     * tracker covers the moment between); where /dev/shm cannot be used, or where no tracker would
     * cover a name (a warm spare's rehearsal: one killed with its parent in that moment left a name
     * in /dev/shm in a test run), a memfd, which never has one. Either lives exactly as long as a
     * mapping or an fd of it.
     */
    private static int anonymousFd(String what) {
        try {
            if (ShmDirectory.isFallback() || !ResourceTracker.covering()) {
                return SharedMemoryCalls.memfdCreate("multiprocessing4j-" + what);
            }
            String name = SegmentNames.systemName(SegmentNames.random());
            ResourceTracker.register(ResourceTracker.Kind.TRANSIENT, name);
            try {
                int fd = SharedMemoryCalls.shmOpen(name, true, OWNER_ONLY);
                if (fd == SharedMemoryCalls.EXISTS) {
                    throw new FileAlreadyExistsException(name, null, "130 random bits collided");
                }
                try {
                    SharedMemoryCalls.shmUnlink(name);
                } catch (IOException e) {
                    FileDescriptors.closeQuietly(fd);
                    throw e;
                }
                return fd;
            } finally {
                ResourceTracker.unregister(ResourceTracker.Kind.TRANSIENT, name);
            }
        } catch (IOException e) {
            throw cannotCreate(what, e);
        }
    }

    /** The anonymous segment of {@code fd}, which it takes over: its space reserved, then mapped. */
    private static Segment reservedAndMapped(int fd, int size, String what) {
        OwnedFd owned = new OwnedFd(fd);
        try {
            reserve(fd, size);
            return new Segment(owned, map(fd, size), size, null, what);
        } catch (IOException e) {
            owned.close();
            throw cannotCreate(what, e);
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    private static UncheckedIOException cannotCreate(String what, IOException e) {
        return new UncheckedIOException("cannot create the shared memory of a " + what + ": " + e.getMessage(), e);
    }

    /**
     * Creates the named segment {@code name} (validated by {@link SegmentNames#validate}) of
     * {@code size} bytes; it stays until {@link #unlinkNamed} (or until the resource tracker
     * finds every process of ours gone).
     */
    public static Segment createNamed(String name, int size) throws IOException {
        if (size <= 0) {
            throw new IllegalArgumentException("'size' must be a positive number different from zero: " + size);
        }
        String systemName = SegmentNames.systemName(name);
        // Registered before it exists, so that there is no instant at which a killed process leaks it.
        ResourceTracker.register(ResourceTracker.Kind.NAMED, systemName);
        int fd;
        try {
            fd = SharedMemoryCalls.shmOpen(systemName, true, OWNER_ONLY);
        } catch (SystemCallException e) {
            ResourceTracker.unregister(ResourceTracker.Kind.NAMED, systemName);
            throw e;
        }
        if (fd == SharedMemoryCalls.EXISTS) {
            ResourceTracker.unregister(ResourceTracker.Kind.NAMED, systemName);
            throw new FileAlreadyExistsException(name, null, "a shared memory segment of this name exists");
        }
        try {
            reserve(fd, size);
            return new Segment(null, map(fd, size), size, name, "SharedMemory");
        } catch (IOException | RuntimeException e) {
            try {
                SharedMemoryCalls.shmUnlink(systemName);
                ResourceTracker.unregister(ResourceTracker.Kind.NAMED, systemName);
            } catch (SystemCallException notUnlinked) {
                e.addSuppressed(notUnlinked); // still registered: the resource tracker unlinks it
            }
            throw e;
        } finally {
            FileDescriptors.closeQuietly(fd);
        }
    }

    /** Attaches to the named segment {@code name}, with the size it has. */
    public static Segment openNamed(String name) throws IOException {
        String systemName = SegmentNames.systemName(name);
        int fd = SharedMemoryCalls.shmOpen(systemName, false, 0);
        if (fd == SharedMemoryCalls.MISSING) {
            throw new NoSuchFileException(name, null, "no shared memory segment of this name");
        }
        try {
            long size = SharedMemoryCalls.fileSize(fd);
            if (size == 0 || size > Integer.MAX_VALUE) {
                throw new IOException("shared memory segment '" + name + "' has size " + size
                        + "; attachable sizes are 1 byte to 2 GiB - 1");
            }
            return new Segment(null, map(fd, (int) size), (int) size, name, "SharedMemory");
        } finally {
            FileDescriptors.closeQuietly(fd);
        }
    }

    /**
     * Creates the segment {@code name} (one of ours, made up by the library) of {@code size} bytes,
     * for processes of this tree to open by name: registered with the resource tracker as transient
     * from before its creation until {@link HandoffSegment#discard} unlinks it.
     *
     * @throws FileAlreadyExistsException if the name is taken (a leftover of a killed process)
     * @throws SystemCallException with errno ENOSPC if /dev/shm has no room for it
     */
    public static Segment createTransient(String name, int size, String what) throws IOException {
        String systemName = SegmentNames.systemName(name);
        ResourceTracker.register(ResourceTracker.Kind.TRANSIENT, systemName);
        int fd;
        try {
            fd = SharedMemoryCalls.shmOpen(systemName, true, OWNER_ONLY);
        } catch (SystemCallException e) {
            ResourceTracker.unregister(ResourceTracker.Kind.TRANSIENT, systemName);
            throw e;
        }
        if (fd == SharedMemoryCalls.EXISTS) {
            ResourceTracker.unregister(ResourceTracker.Kind.TRANSIENT, systemName);
            throw new FileAlreadyExistsException(name);
        }
        try {
            reserve(fd, size);
            return new Segment(null, map(fd, size), size, null, what);
        } catch (IOException | RuntimeException e) {
            HandoffSegment.discard(name);
            throw e;
        } finally {
            FileDescriptors.closeQuietly(fd);
        }
    }

    /** Opens a segment made by {@link #createTransient}, expecting {@code size} bytes. */
    public static Segment openTransient(String name, int size, String what) throws IOException {
        String systemName = SegmentNames.systemName(name);
        int fd = SharedMemoryCalls.shmOpen(systemName, false, 0);
        if (fd == SharedMemoryCalls.MISSING) {
            throw new NoSuchFileException(name, null, "the shared memory of a " + what + " is gone");
        }
        try {
            long actual = SharedMemoryCalls.fileSize(fd);
            if (actual != size) {
                throw new InvalidObjectException("the shared memory of a " + what + " has " + actual
                        + " bytes instead of " + size);
            }
            return new Segment(null, map(fd, size), size, null, what);
        } finally {
            FileDescriptors.closeQuietly(fd);
        }
    }

    /** shm_unlink of a named segment; the memory stays while some process maps it. */
    public static void unlinkNamed(String name) throws IOException {
        String systemName = SegmentNames.systemName(name);
        if (!SharedMemoryCalls.shmUnlink(systemName)) {
            ResourceTracker.unregister(ResourceTracker.Kind.NAMED, systemName);
            throw new NoSuchFileException(name, null, "no shared memory segment of this name");
        }
        ResourceTracker.unregister(ResourceTracker.Kind.NAMED, systemName);
    }

    /** Takes over an anonymous segment's fd that arrived from another process. */
    static Segment adopt(int fd, int size, String what) throws IOException {
        OwnedFd owned = new OwnedFd(fd);
        try {
            long actual = SharedMemoryCalls.fileSize(fd);
            if (actual < size) {
                throw new InvalidObjectException("the shared memory of a " + what + " arrived with " + actual
                        + " bytes instead of " + size);
            }
            return new Segment(owned, map(fd, size), size, null, what);
        } catch (IOException | RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** posix_fallocate of the first {@code size} bytes; a full /dev/shm is a NoSpaceException saying so. */
    static void reserve(int fd, int size) throws SystemCallException {
        if (!SharedMemoryCalls.fallocate(fd, 0, size)) {
            throw new NoSpaceException("posix_fallocate",
                    "no space left in " + ShmDirectory.path() + " for " + size + " bytes; " + freeSpace());
        }
    }

    private static String freeSpace() {
        try {
            return Files.getFileStore(Path.of(ShmDirectory.path())).getUsableSpace() + " bytes are free";
        } catch (IOException e) {
            return "its free space is unknown (" + e + ")";
        }
    }

    /** Maps the whole segment behind {@code fd} read-write and shared. */
    private static Mapping map(int fd, int size) throws IOException {
        return Mapping.map(fd, size);
    }

    /** The mapping, in native byte order. Shared by every user of this segment in this process. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public int size() {
        return size;
    }

    /** The name of a named segment (without '/'), or null for an anonymous one. */
    public String name() {
        return name;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Throws {@link IllegalStateException} once {@link #close()}d. */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    /**
     * Releases this process's hold: closes the fd and marks the segment closed. The mapping goes
     * when the garbage collector finds no buffer using it. Idempotent.
     */
    public void close() {
        closed = true;
        if (fd != null) {
            fd.close();
        }
    }

    /**
     * {@link #close()}, and the mapping's hold on the memory ends now rather than at a garbage
     * collection: an unlinked segment's memory is free once no other process maps it. For owners
     * whose every access checks {@link #checkOpen()} first; a buffer that escaped reads zeros from
     * now on. Idempotent.
     */
    public void release() {
        close();
        mapping.detach();
    }

    @Override
    public String toString() {
        return what + " segment (" + size + " bytes" + (name != null ? ", /" + name : "") + (closed ? ", closed" : "") + ")";
    }

    private Object writeReplace() throws ObjectStreamException {
        if (closed) {
            throw new NotSerializableException(what + " is closed");
        }
        if (name != null) {
            return new ByName(name);
        }
        return new ByFd(FdTransfer.export(fd, "a " + what), size, what);
    }

    /** A named segment travels by name and is attached again on arrival. */
    private static final class ByName implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        ByName(String name) {
            this.name = name;
        }

        private Object readResolve() throws ObjectStreamException {
            try {
                return openNamed(SegmentNames.validate(name));
            } catch (IOException | IllegalArgumentException e) {
                InvalidObjectException failure = new InvalidObjectException(
                        "cannot attach to shared memory '" + name + "': " + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
        }
    }

    /** An anonymous segment travels as a transferred fd. */
    private static final class ByFd implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int index;
        private final int size;
        private final String what;

        ByFd(int index, int size, String what) {
            this.index = index;
            this.size = size;
            this.what = what;
        }

        private Object readResolve() throws ObjectStreamException {
            int fd = FdTransfer.claim(index, "a " + what);
            try {
                return adopt(fd, size, what);
            } catch (IOException e) {
                InvalidObjectException failure = new InvalidObjectException(
                        "cannot map the shared memory of a " + what + ": " + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
        }
    }
}
