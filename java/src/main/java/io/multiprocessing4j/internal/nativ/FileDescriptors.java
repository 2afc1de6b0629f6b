package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.SystemCallException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Binding for native/fd.c: plain fd calls. Results are {@code >= 0} or {@code -errno}. */
public final class FileDescriptors {
    static {
        NativeLibrary.load();
    }

    public static final int POLLIN = 0x001;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;

    private FileDescriptors() {
    }

    public static native int close(int fd);

    /** fcntl(F_DUPFD_CLOEXEC): a close-on-exec copy at the lowest free fd {@code >= lowest}. */
    public static native int dupCloexec(int fd, int lowest);

    public static native int dup2(int from, int to);

    /** F_GETFD flags; negative (-EBADF) when {@code fd} is not open. */
    public static native int flags(int fd);

    public static native int setNonBlocking(int fd, boolean nonBlocking);

    /** pipe2(O_CLOEXEC): out[0] read end, out[1] write end. */
    public static native int pipe(int[] out);

    private static native int open(byte[] path, int flags, int mode);

    public static native int read(int fd, byte[] buffer, int offset, int length);

    public static native int write(int fd, byte[] buffer, int offset, int length);

    public static native int readDirect(int fd, ByteBuffer direct, int offset, int length);

    public static native int writeDirect(int fd, ByteBuffer direct, int offset, int length);

    /** poll(2); EINTR comes back as -EINTR for the caller to retry with its remaining time. */
    public static native int poll(int[] fds, int[] events, int[] revents, int timeoutMillis);

    public static boolean isOpen(int fd) {
        return flags(fd) >= 0;
    }

    public static int open(String path, int flags, int mode) {
        return open(path.getBytes(StandardCharsets.UTF_8), flags, mode);
    }

    public static void checkedClose(int fd) throws SystemCallException {
        Errors.check(close(fd), "close");
    }

    /** Closes without reporting: for cleanup paths that already have an error to report. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            close(fd);
        }
    }

    /** Polls one fd for {@code events}, retrying EINTR; returns revents, 0 on timeout. */
    public static int pollOne(int fd, int events, long timeoutNanos) throws SystemCallException {
        int[] fds = {fd};
        int[] wanted = {events};
        int[] got = new int[1];
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long remaining = timeoutNanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
            int result = poll(fds, wanted, got, Timeouts.toPollMillis(remaining));
            if (result == -Errno.EINTR) {
                continue;
            }
            Errors.check(result, "poll");
            if (result > 0 || (timeoutNanos >= 0 && System.nanoTime() >= deadline)) {
                return got[0];
            }
        }
    }
}
