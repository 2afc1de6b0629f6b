package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Peer of native/shared_memory_calls.c: POSIX shared memory segments and their mappings. An
 * existing or missing name is a result ({@link #EXISTS}, {@link #MISSING}, false); other failures
 * throw a {@link SystemCallException} naming the call, as {@link Errors} describes.
 */
public final class SharedMemoryCalls {
    /** {@link #shmOpen} with {@code create}: the name is taken (EEXIST). */
    public static final int EXISTS = -1;
    /** {@link #shmOpen} without {@code create}: no segment has the name (ENOENT). */
    public static final int MISSING = -2;

    private SharedMemoryCalls() {
    }

    private static native int shmOpen0(byte[] directory, byte[] name, boolean create, int mode);

    private static native int shmUnlink0(byte[] directory, byte[] name);

    private static native int memfdCreate0(byte[] name);

    private static native int fallocate0(int fd, long offset, long length);

    private static native long fileSize0(int fd);

    private static native long mapShared0(int fd, long size);

    private static native long mapAnonymousShared0(long size);

    private static native int detachMapping0(long address, long size);

    private static native int unmap0(long address, long size);

    private static native ByteBuffer directBuffer0(long address, long size);

    /**
     * shm_open({@code name}) read-write and close-on-exec, in {@link ShmDirectory}; with
     * {@code create}, O_CREAT|O_EXCL with {@code mode}. {@code name} starts with '/'. The fd, or
     * {@link #EXISTS} / {@link #MISSING}.
     */
    public static int shmOpen(String name, boolean create, int mode) throws SystemCallException {
        NativeLibrary.load();
        int fd = shmOpen0(ShmDirectory.bytes(), name.getBytes(StandardCharsets.UTF_8), create, mode);
        if (create && fd == -Errno.EEXIST) {
            return EXISTS;
        }
        if (!create && fd == -Errno.ENOENT) {
            return MISSING;
        }
        return Errors.check(fd, "shm_open(" + name + ")");
    }

    /** shm_unlink({@code name}); false when there was no such segment (ENOENT). */
    public static boolean shmUnlink(String name) throws SystemCallException {
        NativeLibrary.load();
        int result = shmUnlink0(ShmDirectory.bytes(), name.getBytes(StandardCharsets.UTF_8));
        if (result == -Errno.ENOENT) {
            return false;
        }
        Errors.check(result, "shm_unlink(" + name + ")");
        return true;
    }

    /**
     * memfd_create({@code name}, MFD_CLOEXEC): an anonymous shared memory file outside /dev/shm,
     * for where it cannot be used (see {@link ShmDirectory}). The fd.
     */
    public static int memfdCreate(String name) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(memfdCreate0(name.getBytes(StandardCharsets.UTF_8)), "memfd_create(" + name + ")");
    }

    /**
     * posix_fallocate: reserves [offset, offset+length), growing the file; false when the
     * filesystem has no room for it (ENOSPC, or EFBIG past its size limit).
     */
    public static boolean fallocate(int fd, long offset, long length) throws SystemCallException {
        NativeLibrary.load();
        int result = fallocate0(fd, offset, length);
        if (result == -Errno.ENOSPC || result == -Errno.EFBIG) {
            return false;
        }
        Errors.check(result, "posix_fallocate");
        return true;
    }

    /** The size of the open file (statx). */
    public static long fileSize(int fd) throws SystemCallException {
        NativeLibrary.load();
        long size = fileSize0(fd);
        if (size < 0) {
            throw Errors.exception("fstat", (int) -size);
        }
        return size;
    }

    /** mmap of {@code size} bytes of {@code fd}, read-write and shared: the address. */
    public static long mapShared(int fd, long size) throws SystemCallException {
        NativeLibrary.load();
        long address = mapShared0(fd, size);
        if (address < 0) {
            throw Errors.exception("mmap", (int) -address);
        }
        return address;
    }

    /** mmap of {@code size} bytes of anonymous memory, read-write and shared: the address. */
    public static long mapAnonymousShared(long size) throws SystemCallException {
        NativeLibrary.load();
        long address = mapAnonymousShared0(size);
        if (address < 0) {
            throw Errors.exception("mmap(MAP_ANONYMOUS)", (int) -address);
        }
        return address;
    }

    /**
     * Replaces the pages of a mapping by private anonymous zero pages (mmap MAP_FIXED): the shared
     * memory is no longer mapped, yet the range stays accessible.
     */
    public static void detachMapping(long address, long size) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(detachMapping0(address, size), "mmap(MAP_FIXED)");
    }

    /** munmap; for the Cleaner, which has nobody to report to: whether it worked. */
    public static boolean unmap(long address, long size) {
        NativeLibrary.load();
        return unmap0(address, size) == 0;
    }

    /** A direct buffer (JNI NewDirectByteBuffer) over {@code size} bytes at {@code address}. */
    public static ByteBuffer directBuffer(long address, long size) {
        NativeLibrary.load();
        return directBuffer0(address, size);
    }
}
