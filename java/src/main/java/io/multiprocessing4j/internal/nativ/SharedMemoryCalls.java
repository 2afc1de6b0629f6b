package io.multiprocessing4j.internal.nativ;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Binding for native/shm.c: POSIX shared memory segments. Results are {@code >= 0} or {@code -errno}. */
public final class SharedMemoryCalls {
    static {
        NativeLibrary.load();
    }

    private SharedMemoryCalls() {
    }

    private static native int shmOpen(byte[] name, boolean create, int mode);

    private static native int shmUnlink(byte[] name);

    /** posix_fallocate: reserves [offset, offset+length), growing the file; 0 or -errno (ENOSPC). */
    public static native int fallocate(int fd, long offset, long length);

    /** fstat's st_size, or -errno. */
    public static native long fileSize(int fd);

    /** mmap of {@code size} bytes of {@code fd}, read-write and shared: the address, or -errno. */
    public static native long mapShared(int fd, long size);

    /**
     * Replaces the pages of a mapping by private anonymous zero pages (mmap MAP_FIXED): the shared
     * memory is no longer mapped, yet the range stays accessible. 0 or -errno.
     */
    public static native int detachMapping(long address, long size);

    /** munmap: 0 or -errno. */
    public static native int unmap(long address, long size);

    /** A direct buffer (JNI NewDirectByteBuffer) over {@code size} bytes at {@code address}. */
    public static native ByteBuffer directBuffer(long address, long size);

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
