package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.EventPoll;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.time.Durations;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The OS side of one started child: its pid, its pidfd and, once it ended, its exit code.
 *
 * <p>The exit status is collected exactly once, with waitid on the pidfd, by whichever comes
 * first: the exit watcher thread (woken by epoll) or a caller asking without blocking
 * ({@code isAlive}, {@code exitCode}). Blocking waits never touch the kernel; they wait on
 * {@link #exitFuture()}.
 *
 * <p>The pidfd is closed as soon as the status is collected, unless it was handed out as the
 * process's sentinel, in which case it stays open (and readable) until {@link #close()}.
 */
public final class ChildHandle implements ExitWatcher.Watched {
    /** Exit code reported when somebody else collected the status (a stray waitpid on our pid). */
    public static final int EXIT_CODE_UNKNOWN = Integer.MIN_VALUE;

    private final int pid;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Object lock = new Object();

    // Guarded by lock.
    private OwnedFd fd;             // pidfd; after exit possibly an always-readable eventfd; null closed
    private long watchKey = -1;
    private boolean sentinelExported;
    private boolean abandoned;
    private boolean closed;
    private volatile boolean exited;
    private volatile int exitCode;

    /** Takes ownership of {@code pidfd}. */
    public ChildHandle(int pid, OwnedFd pidfd) {
        this.pid = pid;
        this.fd = pidfd;
        OrphanReaper.adopted(pid);
    }

    /** Starts watching for the end of the process; called once, right after the spawn. */
    public void watch() {
        synchronized (lock) {
            if (!exited && fd != null) {
                watchKey = ExitWatcher.instance().watch(fd.fd(), this);
            }
        }
        // It may have ended before the watch began; epoll reports that too (level-triggered).
    }

    public int pid() {
        return pid;
    }

    /** Completed with the exit code when the process has ended and its status was collected. */
    public CompletableFuture<Integer> exitFuture() {
        return exit;
    }

    @Override
    public void processEnded() {
        poll();
    }

    /** The exit code if the process has ended, collecting the status if needed; never blocks. */
    public OptionalInt poll() {
        if (exited) {
            return OptionalInt.of(exitCode);
        }
        int code;
        synchronized (lock) {
            if (exited) {
                return OptionalInt.of(exitCode);
            }
            int[] status = new int[2];
            int result;
            try {
                result = ProcessCalls.waitidPidfd(fd.fd(), true, status);
            } catch (SystemCallException e) {
                throw new IllegalStateException("cannot collect the exit status of pid " + pid, e);
            }
            if (result == ProcessCalls.RUNNING) {
                return OptionalInt.empty();
            }
            code = result == ProcessCalls.EXITED ? exitCode(status[0], status[1]) : EXIT_CODE_UNKNOWN;
            exitCode = code;
            exited = true;
            OrphanReaper.released(pid);
            if (watchKey >= 0) {
                ExitWatcher.instance().unwatch(watchKey, fd.fd());
                watchKey = -1;
            }
            if (!sentinelExported || abandoned) {
                closeFd();
            }
        }
        exit.complete(code);
        return OptionalInt.of(code);
    }

    public boolean hasExited() {
        return exited || poll().isPresent();
    }

    /** Waits for the end; true if it ended within {@code timeout} (null: wait forever). */
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            if (timeout == null) {
                exit.get();
            } else {
                exit.get(Durations.toNanos(timeout), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }


    /** Sends {@code signal} unless the process has already ended; true if it was sent. */
    public boolean signal(int signal) throws SystemCallException {
        synchronized (lock) {
            if (exited || fd == null) {
                return false;
            }
            return ProcessCalls.pidfdSendSignal(fd.fd(), signal);
        }
    }

    /**
     * An fd that is readable once the process has ended: the pidfd itself while it is open, or,
     * if the status was already collected and the pidfd closed, an eventfd that is readable from
     * the start. The same number is returned on every call until {@link #close()}.
     */
    public int sentinel() throws SystemCallException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("process object is closed");
            }
            if (fd == null) {
                fd = new OwnedFd(EventPoll.eventfdCreate(1));
            }
            sentinelExported = true;
            return fd.fd();
        }
    }

    /** Releases the sentinel; only valid once the process has ended. */
    public void close() {
        synchronized (lock) {
            closed = true;
            if (exited) {
                closeFd();
            } else {
                abandoned = true; // closed once the watcher collects the status
            }
        }
    }

    /** The Cleaner's action when the owning process object was dropped. */
    public void abandon() {
        synchronized (lock) {
            abandoned = true;
            if (exited) {
                closeFd();
            }
        }
    }

    private void closeFd() {
        if (fd != null) {
            fd.close();
            fd = null;
        }
    }

    /**
     * Python's exit code from waitid's si_code/si_status: the status for a normal exit,
     * minus the signal number for a death by signal.
     */
    static int exitCode(int siCode, int siStatus) {
        return siCode == ProcessCalls.CLD_EXITED ? siStatus : -siStatus;
    }
}
