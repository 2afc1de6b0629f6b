package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.nativ.Errno;
import io.multiprocessing4j.internal.nativ.Errors;
import io.multiprocessing4j.internal.nativ.EventPoll;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that waits for every process this JVM watches: it sleeps in epoll on their
 * pidfds and, when one becomes readable (the process ended), tells its owner, who collects the
 * exit status with waitid. No thread per child, no waitpid(-1) that could steal the exit status of
 * a child started with ProcessBuilder, no polling.
 */
public final class ExitWatcher {
    /** Something that owns a pidfd and wants to hear when its process ends. */
    public interface Watched {
        /** Called on the watcher thread when the pidfd is readable; must not block. */
        void processEnded();
    }

    private static final ExitWatcher INSTANCE = new ExitWatcher();

    private final Map<Long, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicLong nextKey = new AtomicLong();
    private volatile int epollFd = -1;

    private ExitWatcher() {
    }

    public static ExitWatcher instance() {
        return INSTANCE;
    }

    /** Starts watching {@code pidfd}; returns the key to pass to {@link #unwatch}. */
    public long watch(int pidfd, Watched owner) {
        int epfd = epoll();
        long key = nextKey.incrementAndGet();
        watched.put(key, owner);
        int result = EventPoll.add(epfd, pidfd, key);
        if (result < 0) {
            watched.remove(key);
            throw new IllegalStateException(Errors.exception("epoll_ctl(EPOLL_CTL_ADD)", -result));
        }
        return key;
    }

    /** Stops watching; call before closing the pidfd. */
    public void unwatch(long key, int pidfd) {
        if (watched.remove(key) != null) {
            int result = EventPoll.remove(epollFd, pidfd);
            if (result < 0 && result != -Errno.ENOENT && result != -Errno.EBADF) {
                throw new IllegalStateException(Errors.exception("epoll_ctl(EPOLL_CTL_DEL)", -result));
            }
        }
    }

    private int epoll() {
        int epfd = epollFd;
        if (epfd >= 0) {
            return epfd;
        }
        synchronized (this) {
            if (epollFd < 0) {
                // The first child we start: if we are PID 1, orphans will come to us too.
                OrphanReaper.startIfWanted();
                int created = EventPoll.create();
                if (created < 0) {
                    throw new IllegalStateException(Errors.exception("epoll_create1", -created));
                }
                Thread thread = new Thread(() -> loop(created), "multiprocessing4j-exit-watcher");
                thread.setDaemon(true);
                epollFd = created;
                thread.start();
            }
            return epollFd;
        }
    }

    private void loop(int epfd) {
        long[] keys = new long[64];
        while (true) {
            int ready = EventPoll.waitKeys(epfd, keys, -1);
            if (ready < 0) {
                if (ready == -Errno.EINTR) {
                    continue;
                }
                throw new IllegalStateException(Errors.exception("epoll_wait", -ready));
            }
            for (int i = 0; i < ready; i++) {
                Watched owner = watched.get(keys[i]);
                if (owner != null) {
                    try {
                        owner.processEnded();
                    } catch (RuntimeException | Error e) {
                        // One owner's failure must not stop the others from being reaped.
                        Thread self = Thread.currentThread();
                        self.getUncaughtExceptionHandler().uncaughtException(self, e);
                    }
                }
            }
        }
    }
}
