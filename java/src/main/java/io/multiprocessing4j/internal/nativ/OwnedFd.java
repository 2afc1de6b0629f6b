package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.internal.SharedCleaner;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sole owner of one file descriptor.
 *
 * <p>{@link #close()} is idempotent and safe against concurrent users: a call in flight between
 * {@link #acquire()} and {@link #release()} keeps the number open, so a close can never let the
 * kernel hand the same number to somebody else while it is still being read or written. The
 * last of close and release really closes it, exactly once. A {@link Cleaner} closes an fd whose
 * owner was dropped unclosed; it is the safety net, not the way to close.
 */
public final class OwnedFd implements AutoCloseable {
    /** Bit 0: close requested. Bits 1..: calls in flight. The fd is closed once state == CLOSED. */
    private static final int CLOSED = 1;
    private static final int ONE_USE = 2;

    private final State state;
    private final Cleaner.Cleanable cleanable;

    public OwnedFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not an fd: " + fd);
        }
        this.state = new State(fd);
        this.cleanable = SharedCleaner.INSTANCE.register(this, state);
    }

    /** The number, for logging and for handing to poll; use acquire() around any I/O on it. */
    public int fd() {
        return state.fd;
    }

    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Marks a call in flight and returns the fd, or returns -1 if the fd is closed. */
    public int acquire() {
        while (true) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                return -1;
            }
            if (state.compareAndSet(current, current + ONE_USE)) {
                return state.fd;
            }
        }
    }

    /** Ends a call begun with a successful {@link #acquire()}. */
    public void release() {
        if (state.addAndGet(-ONE_USE) == CLOSED) {
            state.closeNow();
        }
    }

    /** Closes the fd (at once, or when the last call in flight ends). Returns false if already closed. */
    @Override
    public void close() {
        closeIfOpen();
    }

    /** Like {@link #close()}, telling whether this call was the one that closed it. */
    public boolean closeIfOpen() {
        while (true) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(current, current | CLOSED)) {
                if (current == 0) {
                    cleanable.clean();
                }
                return true;
            }
        }
    }

    @Override
    public String toString() {
        return "fd " + state.fd + (isClosed() ? " (closed)" : "");
    }

    /** Kept apart from OwnedFd so that the Cleaner does not keep the owner reachable. */
    private static final class State extends AtomicInteger implements Runnable {
        private static final long serialVersionUID = 1L;
        private final int fd;
        private final AtomicInteger closes = new AtomicInteger();

        State(int fd) {
            this.fd = fd;
        }

        void closeNow() {
            if (closes.compareAndSet(0, 1)) {
                FileDescriptors.closeQuietly(fd);
            }
        }

        /** The Cleaner's action: the owner is unreachable, so no call can be in flight. */
        @Override
        public void run() {
            set(CLOSED);
            closeNow();
        }
    }
}
