package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.SystemCallException;
import io.multiprocessing4j.internal.time.Durations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Binding for native/file_descriptors.c: plain fd calls. Results are {@code >= 0} or {@code -errno}. */
public final class FileDescriptors {
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

    public static int close(int fd) {
        NativeLibrary.load();
        return close0(fd);
    }

    private static native int close0(int fd);

    /** fcntl(F_DUPFD_CLOEXEC): a close-on-exec copy at the lowest free fd {@code >= lowest}. */
    public static int dupCloexec(int fd, int lowest) {
        NativeLibrary.load();
        return dupCloexec0(fd, lowest);
    }

    private static native int dupCloexec0(int fd, int lowest);

    public static int dup2(int from, int to) {
        NativeLibrary.load();
        return dup20(from, to);
    }

    private static native int dup20(int from, int to);

    /** F_GETFD flags; negative (-EBADF) when {@code fd} is not open. */
    public static int flags(int fd) {
        NativeLibrary.load();
        return flags0(fd);
    }

    private static native int flags0(int fd);

    public static int setNonBlocking(int fd, boolean nonBlocking) {
        NativeLibrary.load();
        return setNonBlocking0(fd, nonBlocking);
    }

    private static native int setNonBlocking0(int fd, boolean nonBlocking);

    /** pipe2(O_CLOEXEC): out[0] read end, out[1] write end. */
    public static int pipe(int[] out) {
        NativeLibrary.load();
        return pipe0(out);
    }

    private static native int pipe0(int[] out);

    private static int open(byte[] path, int flags, int mode) {
        NativeLibrary.load();
        return open0(path, flags, mode);
    }

    private static native int open0(byte[] path, int flags, int mode);

    public static int read(int fd, byte[] buffer, int offset, int length) {
        NativeLibrary.load();
        return read0(fd, buffer, offset, length);
    }

    private static native int read0(int fd, byte[] buffer, int offset, int length);

    public static int write(int fd, byte[] buffer, int offset, int length) {
        NativeLibrary.load();
        return write0(fd, buffer, offset, length);
    }

    private static native int write0(int fd, byte[] buffer, int offset, int length);

    public static int readDirect(int fd, ByteBuffer direct, int offset, int length) {
        NativeLibrary.load();
        return readDirect0(fd, direct, offset, length);
    }

    private static native int readDirect0(int fd, ByteBuffer direct, int offset, int length);

    public static int writeDirect(int fd, ByteBuffer direct, int offset, int length) {
        NativeLibrary.load();
        return writeDirect0(fd, direct, offset, length);
    }

    private static native int writeDirect0(int fd, ByteBuffer direct, int offset, int length);

    /** poll(2); EINTR comes back as -EINTR for the caller to retry with its remaining time. */
    public static int poll(int[] fds, int[] events, int[] revents, int timeoutMillis) {
        NativeLibrary.load();
        return poll0(fds, events, revents, timeoutMillis);
    }

    private static native int poll0(int[] fds, int[] events, int[] revents, int timeoutMillis);

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
            int result = poll(fds, wanted, got, Durations.toPollMillis(remaining));
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
