package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/**
 * Peer of native/event_poll.c: epoll keyed by longs, and eventfd wake-ups. Failures throw a
 * {@link SystemCallException} naming the call, as {@link Errors} describes.
 */
public final class EventPoll {
    private EventPoll() {
    }

    private static native int create0();

    private static native int add0(int epfd, int fd, long key);

    private static native int armOneShot0(int epfd, int fd, int events, long key);

    private static native int remove0(int epfd, int fd);

    private static native int waitKeys0(int epfd, long[] keys, int timeoutMillis);

    private static native int eventfdCreate0(int initial);

    private static native int eventfdSignal0(int fd);

    private static native int eventfdDrain0(int fd);

    /** epoll_create1(EPOLL_CLOEXEC): the epoll fd. */
    public static int create() throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(create0(), "epoll_create1");
    }

    /** Watches {@code fd} for readability under {@code key}. */
    public static void add(int epfd, int fd, long key) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(add0(epfd, fd, key), "epoll_ctl(EPOLL_CTL_ADD)");
    }

    /**
     * Watches {@code fd} once for {@code events} (EPOLLIN = 1, EPOLLOUT = 4) under {@code key}
     * (EPOLLONESHOT): reported once, then disarmed until armed again. False when epoll cannot
     * watch {@code fd} (a regular file, EPERM; a closed fd, EBADF): poll(2) tells about those.
     */
    public static boolean armOneShot(int epfd, int fd, int events, long key) throws SystemCallException {
        NativeLibrary.load();
        int result = armOneShot0(epfd, fd, events, key);
        if (result == -Errno.EPERM || result == -Errno.EBADF) {
            return false;
        }
        Errors.check(result, "epoll_ctl");
        return true;
    }

    /** Stops watching {@code fd}; false if it was not watched (ENOENT) or is closed already (EBADF). */
    public static boolean remove(int epfd, int fd) throws SystemCallException {
        NativeLibrary.load();
        int result = remove0(epfd, fd);
        if (result == -Errno.ENOENT || result == -Errno.EBADF) {
            return false;
        }
        Errors.check(result, "epoll_ctl(EPOLL_CTL_DEL)");
        return true;
    }

    /**
     * Fills {@code keys} with the keys of ready fds: their count, or 0 when the time ran out or a
     * signal cut the wait short (the caller waits again).
     */
    public static int waitKeys(int epfd, long[] keys, int timeoutMillis) throws SystemCallException {
        NativeLibrary.load();
        int result = waitKeys0(epfd, keys, timeoutMillis);
        return result == -Errno.EINTR ? 0 : Errors.check(result, "epoll_wait");
    }

    /** eventfd(initial, EFD_CLOEXEC | EFD_NONBLOCK): the fd. */
    public static int eventfdCreate(int initial) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(eventfdCreate0(initial), "eventfd");
    }

    /** Adds one to the counter (a full counter is signalled already). */
    public static void eventfdSignal(int fd) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(eventfdSignal0(fd), "write(eventfd)");
    }

    /** Resets the counter; whether it was signalled. */
    public static boolean eventfdDrain(int fd) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(eventfdDrain0(fd), "read(eventfd)") == 1;
    }
}
