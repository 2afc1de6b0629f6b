package io.multiprocessing4j.internal.nativ;

/** Binding for native/event_poll.c: epoll keyed by longs, and eventfd wake-ups. */
public final class EventPoll {
    private EventPoll() {
    }

    public static int create() {
        NativeLibrary.load();
        return create0();
    }

    private static native int create0();

    public static int add(int epfd, int fd, long key) {
        NativeLibrary.load();
        return add0(epfd, fd, key);
    }

    private static native int add0(int epfd, int fd, long key);

    /**
     * Watches {@code fd} once for {@code events} (EPOLLIN = 1, EPOLLOUT = 4) under {@code key}
     * (EPOLLONESHOT): reported once, then disarmed until armed again. 0 or -errno (-EPERM for a
     * file epoll cannot watch, such as a regular file).
     */
    public static int armOneShot(int epfd, int fd, int events, long key) {
        NativeLibrary.load();
        return armOneShot0(epfd, fd, events, key);
    }

    private static native int armOneShot0(int epfd, int fd, int events, long key);

    public static int remove(int epfd, int fd) {
        NativeLibrary.load();
        return remove0(epfd, fd);
    }

    private static native int remove0(int epfd, int fd);

    /** Fills {@code keys} with the keys of ready fds; count, 0 on timeout, or -errno (EINTR included). */
    public static int waitKeys(int epfd, long[] keys, int timeoutMillis) {
        NativeLibrary.load();
        return waitKeys0(epfd, keys, timeoutMillis);
    }

    private static native int waitKeys0(int epfd, long[] keys, int timeoutMillis);

    public static int eventfdCreate(int initial) {
        NativeLibrary.load();
        return eventfdCreate0(initial);
    }

    private static native int eventfdCreate0(int initial);

    public static int eventfdSignal(int fd) {
        NativeLibrary.load();
        return eventfdSignal0(fd);
    }

    private static native int eventfdSignal0(int fd);

    public static int eventfdDrain(int fd) {
        NativeLibrary.load();
        return eventfdDrain0(fd);
    }

    private static native int eventfdDrain0(int fd);
}
