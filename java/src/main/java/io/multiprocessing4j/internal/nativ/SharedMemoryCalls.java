package io.multiprocessing4j.internal.nativ;

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
