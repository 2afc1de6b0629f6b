package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import java.util.concurrent.CompletableFuture;

/**
 * A child's hold on its parent: a pidfd opened at boot, while the parent is certainly alive
 * (it is waiting for our answer), so it can never refer to a recycled pid. Readable once the
 * parent has ended; the exit watcher turns that into {@link #ended()}.
 *
 * <p>The pidfd lives as long as the process and is never closed. Everything else is created on
 * first use, so that a child that never asks about its parent pays one syscall at boot.
 */
public final class ParentHandle implements ExitWatcher.Watched {
    private static volatile ParentHandle current;

    private final int pid;
    private final int pidfd;
    private CompletableFuture<Void> ended;   // guarded by this
    private long watchKey = -1;              // guarded by this

    private ParentHandle(int pid, int pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
    }

    /** Opens the handle on our parent; called once at child boot. */
    public static void open(int parentPid) {
        int fd;
        try {
            fd = ProcessCalls.pidfdOpen(parentPid);
        } catch (SystemCallException e) {
            throw new IllegalStateException("cannot open a pidfd on the parent " + parentPid, e);
        }
        if (fd == ProcessCalls.GONE) {
            throw new IllegalStateException("the parent " + parentPid + " has already ended");
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
        return pidfd;
    }

    public boolean isAlive() {
        int[] fds = {pidfd};
        int[] events = {FileDescriptors.POLLIN};
        int[] revents = new int[1];
        try {
            return FileDescriptors.poll(fds, events, revents, 0) == 0;
        } catch (SystemCallException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Completes when the parent ends. */
    public synchronized CompletableFuture<Void> ended() {
        if (ended == null) {
            ended = new CompletableFuture<>();
            watchKey = ExitWatcher.instance().watch(pidfd, this);
        }
        return ended;
    }

    @Override
    public synchronized void processEnded() {
        if (watchKey >= 0) {
            ExitWatcher.instance().unwatch(watchKey, pidfd);
            watchKey = -1;
        }
        ended.complete(null);
    }
}
