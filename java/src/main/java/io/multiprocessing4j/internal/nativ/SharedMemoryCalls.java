package io.multiprocessing4j.internal.nativ;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Binding for native/shared_memory_calls.c: POSIX shared memory segments. Results are {@code >= 0} or {@code -errno}. */
public final class SharedMemoryCalls {
    private SharedMemoryCalls() {
    }

    private static int shmOpen(byte[] name, boolean create, int mode) {
        NativeLibrary.load();
        return shmOpen0(name, create, mode);
    }

    private static native int shmOpen0(byte[] name, boolean create, int mode);

    private static int shmUnlink(byte[] name) {
        NativeLibrary.load();
        return shmUnlink0(name);
    }

    private static native int shmUnlink0(byte[] name);

    /** posix_fallocate: reserves [offset, offset+length), growing the file; 0 or -errno (ENOSPC). */
    public static int fallocate(int fd, long offset, long length) {
        NativeLibrary.load();
        return fallocate0(fd, offset, length);
    }

    private static native int fallocate0(int fd, long offset, long length);

    /** fstat's st_size, or -errno. */
    public static long fileSize(int fd) {
        NativeLibrary.load();
        return fileSize0(fd);
    }

    private static native long fileSize0(int fd);

    /** mmap of {@code size} bytes of {@code fd}, read-write and shared: the address, or -errno. */
    public static long mapShared(int fd, long size) {
        NativeLibrary.load();
        return mapShared0(fd, size);
    }

    private static native long mapShared0(int fd, long size);

    /**
     * Replaces the pages of a mapping by private anonymous zero pages (mmap MAP_FIXED): the shared
     * memory is no longer mapped, yet the range stays accessible. 0 or -errno.
     */
    public static int detachMapping(long address, long size) {
        NativeLibrary.load();
        return detachMapping0(address, size);
    }

    private static native int detachMapping0(long address, long size);

    /** munmap: 0 or -errno. */
    public static int unmap(long address, long size) {
        NativeLibrary.load();
        return unmap0(address, size);
    }

    private static native int unmap0(long address, long size);

    /** A direct buffer (JNI NewDirectByteBuffer) over {@code size} bytes at {@code address}. */
    public static ByteBuffer directBuffer(long address, long size) {
        NativeLibrary.load();
        return directBuffer0(address, size);
    }

    private static native ByteBuffer directBuffer0(long address, long size);

    /**
     * shm_open({@code name}) read-write and close-on-exec; with {@code create}, O_CREAT|O_EXCL with
     * {@code mode}. {@code name} starts with '/'. Returns the fd or -errno.
     */
    public static int shmOpen(String name, boolean create, int mode) {
        return shmOpen(name.getBytes(StandardCharsets.UTF_8), create, mode);
    }

    public static int shmUnlink(String name) {
        return shmUnlink(name.getBytes(StandardCharsets.UTF_8));
    }
}
