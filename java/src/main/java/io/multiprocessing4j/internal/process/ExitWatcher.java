package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.EventPoll;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.threads.LibraryThreads;
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
    /** The epoll instance, created with the first child; it lives as long as the JVM. */
    private volatile OwnedFd epoll;

    private ExitWatcher() {
    }

    public static ExitWatcher instance() {
        return INSTANCE;
    }

    /** Starts watching {@code pidfd}; returns the key to pass to {@link #unwatch}. */
    public long watch(int pidfd, Watched owner) {
        int epfd = epoll().fd();
        long key = nextKey.incrementAndGet();
        watched.put(key, owner);
        try {
            EventPoll.add(epfd, pidfd, key);
        } catch (SystemCallException e) {
            watched.remove(key);
            throw new IllegalStateException(e);
        }
        return key;
    }

    /** Stops watching; call before closing the pidfd. */
    public void unwatch(long key, int pidfd) {
        if (watched.remove(key) != null) {
            try {
                EventPoll.remove(epoll.fd(), pidfd); // false: not watched any more, which is the aim
            } catch (SystemCallException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private OwnedFd epoll() {
        OwnedFd current = epoll;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (epoll == null) {
                // The first child we start: if we are PID 1, orphans will come to us too.
                OrphanReaper.startIfWanted();
                OwnedFd created;
                try {
                    created = new OwnedFd(EventPoll.create());
                } catch (SystemCallException e) {
                    throw new IllegalStateException(e);
                }
                Thread thread = LibraryThreads.daemon("mp4j-exit-watcher", () -> loop(created.fd()));
                epoll = created;
                thread.start();
            }
            return epoll;
        }
    }

    private void loop(int epfd) {
        long[] keys = new long[64];
        while (true) {
            int ready;
            try {
                ready = EventPoll.waitKeys(epfd, keys, -1);
            } catch (SystemCallException e) {
                throw new IllegalStateException(e);
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
