package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.EventPoll;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import java.util.HashMap;
import java.util.Map;

/**
 * Ends a session's wait as soon as its client sends something or goes away. While a request waits
 * in the server (a get on an empty queue, an acquire of a held lock, ...), its client sends nothing
 * on that connection but a cancel; its process dying closes the connection. So readability of the
 * connection during a wait means "stop waiting": one thread per server sleeps in {@code epoll_wait}
 * over the connections of the sessions that wait now, and interrupts the session's thread when
 * its connection becomes readable; the wait answers "not yet" (see {@link Waits}).
 *
 * <p>A session is armed only once its request is about to wait, never on the fast path, and
 * disarmed when the request is done. Arming and disarming hold one lock with the interrupting, and
 * each arming has a key of its own, so an interrupt never lands after the disarm nor on a later
 * wait (a report for a key no longer armed is dropped); an interrupt that raced with the disarm is
 * cleared by it.
 */
final class SessionWatcher implements AutoCloseable {
    /** The key under which the wake-up eventfd is watched; arming keys start above it. */
    private static final long WAKE_KEY = 0;
    /** The key of an arming that watches nothing (the watcher was closed). */
    private static final long NOT_ARMED = -1;

    private final int epfd;
    private final int wakeFd;
    /** Sessions armed now, by the key of their arming. Guarded by this. */
    private final Map<Long, Session> armed = new HashMap<>();
    /** Guarded by this. */
    private long lastKey = WAKE_KEY;
    /** Guarded by this. */
    private boolean closed;

    SessionWatcher() {
        try {
            epfd = EventPoll.create();
        } catch (SystemCallException e) {
            throw new IllegalStateException(e);
        }
        int wake = -1;
        try {
            wake = EventPoll.eventfdCreate(0);
            EventPoll.add(epfd, wake, WAKE_KEY);
        } catch (SystemCallException e) {
            closeQuietly(wake);
            closeQuietly(epfd);
            throw new IllegalStateException(e);
        }
        wakeFd = wake;
        Thread thread = new Thread(this::run, "manager-wait-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Watches {@code fd}, the connection of {@code session}, whose thread is about to wait: from now
     * until {@link #disarm}, input on it (or its end) interrupts {@code session}'s thread. Answers
     * the key to disarm with.
     */
    synchronized long arm(Session session, int fd) {
        if (closed) {
            return NOT_ARMED; // the server is leaving: its waits end with the process
        }
        long key = ++lastKey;
        armed.put(key, session);
        try {
            if (!EventPoll.armOneShot(epfd, fd, FileDescriptors.POLLIN, key)) {
                session.thread().interrupt(); // not watchable (closed already): nobody is left to wait for
            }
        } catch (SystemCallException e) {
            armed.remove(key);
            throw new IllegalStateException(e);
        }
        return key;
    }

    /**
     * Stops watching for the arming {@code key} of {@code fd}; called by the session's own thread,
     * whose interrupt status is cleared afterwards (no interrupt of this arming comes later). The
     * fd stays registered, disabled, so that the next arming costs one system call.
     */
    void disarm(long key, int fd) {
        synchronized (this) {
            if (key != NOT_ARMED && !closed) { // once closed, the epoll fd's number may be reused
                armed.remove(key);
                try {
                    // no events asked: only a hang-up could still be reported, under a key nobody has
                    EventPoll.armOneShot(epfd, fd, 0, NOT_ARMED);
                } catch (SystemCallException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        Thread.interrupted();
    }

    /** Forgets {@code fd}, whose session ends: before the fd is closed and its number reused. */
    synchronized void forget(int fd) {
        if (!closed) {
            try {
                EventPoll.remove(epfd, fd);
            } catch (SystemCallException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void run() {
        long[] keys = new long[64];
        try {
            while (true) {
                int count = EventPoll.waitKeys(epfd, keys, -1);
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    for (int i = 0; i < count; i++) {
                        Session session = armed.remove(keys[i]);
                        if (session != null) {
                            session.thread().interrupt();
                        }
                    }
                }
            }
        } catch (SystemCallException e) {
            throw new IllegalStateException(e); // epoll_wait on our own fd does not fail
        } finally {
            synchronized (this) {
                // Should this thread ever end otherwise than by close(): from now on arm, disarm,
                // forget and close leave these fd numbers alone, which may soon be another's.
                closed = true;
            }
            closeQuietly(wakeFd);
            closeQuietly(epfd);
        }
    }

    /** Stops the watcher thread, which closes its fds; sessions still waiting wait on until their end. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            EventPoll.eventfdSignal(wakeFd);
        } catch (SystemCallException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            FileDescriptors.closeQuietly(fd);
        }
    }
}
