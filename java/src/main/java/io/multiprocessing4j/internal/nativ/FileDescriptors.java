package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.time.Durations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Peer of native/file_descriptors.c: plain fd calls. Results and failures as {@link Errors}
 * describes: a failure throws a {@link SystemCallException} naming the call.
 */
public final class FileDescriptors {
    public static final int POLLIN = 0x001;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;

    /** What a read or write on a non-blocking fd returns when it would have to wait (EAGAIN). */
    public static final int WOULD_BLOCK = -1;
    /** What {@link #flags} returns for an fd that is not open (EBADF). */
    public static final int NOT_OPEN = -1;

    private FileDescriptors() {
    }

    private static native int close0(int fd);

    private static native int dupCloexec0(int fd, int lowest);

    private static native int dup20(int from, int to);

    private static native int flags0(int fd);

    private static native int setNonBlocking0(int fd, boolean nonBlocking);

    private static native int pipe0(int[] out);

    private static native int open0(byte[] path, int flags, int mode);

    private static native int read0(int fd, byte[] buffer, int offset, int length);

    private static native int write0(int fd, byte[] buffer, int offset, int length);

    private static native int readDirect0(int fd, ByteBuffer direct, int offset, int length);

    private static native int writeDirect0(int fd, ByteBuffer direct, int offset, int length);

    private static native int poll0(int[] fds, int[] events, int[] revents, int timeoutMillis);

    /** close(2). Linux releases the number even when close reports an error, so never retry it. */
    public static void close(int fd) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(close0(fd), "close");
    }

    /** Closes without reporting: for cleanup paths that already have an error to report. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            NativeLibrary.load();
            close0(fd);
        }
    }

    /** fcntl(F_DUPFD_CLOEXEC): a close-on-exec copy at the lowest free fd {@code >= lowest}. */
    public static int dupCloexec(int fd, int lowest) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(dupCloexec0(fd, lowest), "fcntl(F_DUPFD_CLOEXEC)");
    }

    /** dup2(2): {@code to} becomes a copy of {@code from} (not close-on-exec). */
    public static void dup2(int from, int to) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(dup20(from, to), "dup2");
    }

    /** F_GETFD flags (FD_CLOEXEC = 1), or {@link #NOT_OPEN}. */
    public static int flags(int fd) throws SystemCallException {
        NativeLibrary.load();
        int result = flags0(fd);
        return result == -Errno.EBADF ? NOT_OPEN : Errors.check(result, "fcntl(F_GETFD)");
    }

    /** Whether {@code fd} is an open file descriptor of this process. */
    public static boolean isOpen(int fd) {
        NativeLibrary.load();
        return flags0(fd) >= 0;
    }

    public static void setNonBlocking(int fd, boolean nonBlocking) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(setNonBlocking0(fd, nonBlocking), "fcntl(O_NONBLOCK)");
    }

    /** pipe2(O_CLOEXEC): out[0] read end, out[1] write end. */
    public static void pipe(int[] out) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(pipe0(out), "pipe2");
    }

    /** open(2) with O_CLOEXEC added; the fd. */
    public static int open(String path, int flags, int mode) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(open0(path.getBytes(StandardCharsets.UTF_8), flags, mode), "open(" + path + ")");
    }

    /** One read(2): bytes read, 0 at EOF, or {@link #WOULD_BLOCK}. */
    public static int read(int fd, byte[] buffer, int offset, int length) throws SystemCallException {
        NativeLibrary.load();
        return transferred(read0(fd, buffer, offset, length), "read");
    }

    /** One write(2): bytes written, or {@link #WOULD_BLOCK}; EPIPE is a {@link PeerGoneException}. */
    public static int write(int fd, byte[] buffer, int offset, int length) throws SystemCallException {
        NativeLibrary.load();
        return transferred(write0(fd, buffer, offset, length), "write");
    }

    /** As {@link #read}, into a direct buffer with no copy. */
    public static int readDirect(int fd, ByteBuffer direct, int offset, int length) throws SystemCallException {
        NativeLibrary.load();
        return transferred(readDirect0(fd, direct, offset, length), "read");
    }

    /** As {@link #write}, from a direct buffer with no copy. */
    public static int writeDirect(int fd, ByteBuffer direct, int offset, int length) throws SystemCallException {
        NativeLibrary.load();
        return transferred(writeDirect0(fd, direct, offset, length), "write");
    }

    /** A byte count, {@link #WOULD_BLOCK} for EAGAIN, or the call's exception. */
    static int transferred(int result, String call) throws SystemCallException {
        if (result >= 0) {
            return result;
        }
        if (result == -Errno.EAGAIN) {
            return WOULD_BLOCK;
        }
        throw Errors.exception(call, -result);
    }

    /**
     * poll(2) over {@code fds[i]} for {@code events[i]}, filling {@code revents}: the number of
     * ready fds, or 0 when the time ran out or a signal cut the wait short (the caller, who owns
     * the deadline, waits again with what remains).
     */
    public static int poll(int[] fds, int[] events, int[] revents, int timeoutMillis) throws SystemCallException {
        NativeLibrary.load();
        int result = poll0(fds, events, revents, timeoutMillis);
        if (result == -Errno.EINTR) {
            java.util.Arrays.fill(revents, 0, fds.length, 0);
            return 0;
        }
        return Errors.check(result, "poll");
    }

    /** Polls one fd for {@code events} for at most {@code timeoutNanos} (negative: no limit); revents, 0 on timeout. */
    public static int pollOne(int fd, int events, long timeoutNanos) throws SystemCallException {
        int[] fds = {fd};
        int[] wanted = {events};
        int[] got = new int[1];
        long deadline = Durations.deadline(timeoutNanos);
        while (true) {
            long remaining = timeoutNanos < 0 ? -1 : Durations.remaining(deadline);
            int result = poll(fds, wanted, got, Durations.toPollMillis(remaining));
            if (result > 0 || (timeoutNanos >= 0 && Durations.remaining(deadline) == 0)) {
                return got[0];
            }
        }
    }
}
