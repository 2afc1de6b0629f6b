package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.nativ.Errors;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import java.util.concurrent.CompletableFuture;

/**
 * A child's hold on its parent: a pidfd opened at boot, while the parent is certainly alive
 * (it is waiting for our answer), so it can never refer to a recycled pid. Readable once the
 * parent has ended; the exit watcher turns that into {@link #ended()}.
 */
public final class ParentHandle implements ExitWatcher.Watched {
    private static volatile ParentHandle current;

    private final int pid;
    private final OwnedFd pidfd;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private long watchKey = -1;

    private ParentHandle(int pid, int pidfd) {
        this.pid = pid;
        this.pidfd = new OwnedFd(pidfd);
    }

    /** Opens the handle on our parent; called once at child boot. */
    public static void open(int parentPid) {
        int fd = ProcessCalls.pidfdOpen(parentPid);
        if (fd < 0) {
            throw new IllegalStateException(Errors.exception("pidfd_open(parent " + parentPid + ")", -fd));
        }
        current = new ParentHandle(parentPid, fd);
    }

    /** The handle, or null in the main process. */
    public static ParentHandle current() {
        return current;
    }

    public int pid() {
        return pid;
    }

    public int sentinel() {
        return pidfd.fd();
    }

    public boolean isAlive() {
        if (ended.isDone()) {
            return false;
        }
        int fd = pidfd.acquire();
        try {
            int[] fds = {fd};
            int[] events = {FileDescriptors.POLLIN};
            int[] revents = new int[1];
            int ready = FileDescriptors.poll(fds, events, revents, 0);
            return ready <= 0;
        } finally {
            pidfd.release();
        }
    }

    /** Completes when the parent ends. */
    public synchronized CompletableFuture<Void> ended() {
        if (watchKey < 0 && !ended.isDone()) {
            watchKey = ExitWatcher.instance().watch(pidfd.fd(), this);
        }
        return ended;
    }

    @Override
    public synchronized void processEnded() {
        if (watchKey >= 0) {
            ExitWatcher.instance().unwatch(watchKey, pidfd.fd());
            watchKey = -1;
        }
        ended.complete(null);
    }
}
