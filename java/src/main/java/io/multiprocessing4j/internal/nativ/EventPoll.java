package io.multiprocessing4j.internal.nativ;

/** Binding for native/event_poll.c: epoll keyed by longs, and eventfd wake-ups. */
public final class EventPoll {
    static {
        NativeLibrary.load();
    }

    private EventPoll() {
    }

    public static native int create();

    public static native int add(int epfd, int fd, long key);

    /**
     * Watches {@code fd} once for {@code events} (EPOLLIN = 1, EPOLLOUT = 4) under {@code key}
     * (EPOLLONESHOT): reported once, then disarmed until armed again. 0 or -errno (-EPERM for a
     * file epoll cannot watch, such as a regular file).
     */
    public static native int armOneShot(int epfd, int fd, int events, long key);

    public static native int remove(int epfd, int fd);

    /** Fills {@code keys} with the keys of ready fds; count, 0 on timeout, or -errno (EINTR included). */
    public static native int waitKeys(int epfd, long[] keys, int timeoutMillis);

    public static native int eventfdCreate(int initial);

    public static native int eventfdSignal(int fd);

    public static native int eventfdDrain(int fd);
}
