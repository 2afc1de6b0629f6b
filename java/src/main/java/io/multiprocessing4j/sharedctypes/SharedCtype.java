package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import io.multiprocessing4j.synchronize.RLock;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every shared value and array has: its memory and, unless created raw, the lock that guards
 * compound updates (Python's {@code Synchronized} wrapper and {@code get_lock()}).
 */
public abstract sealed class SharedCtype implements AutoCloseable, Serializable permits SharedScalar, SharedArray {
    private static final long serialVersionUID = 1L;

    final Segment segment;
    private final ProcessLock lock;
    final transient ByteBuffer buffer;

    SharedCtype(Segment segment, ProcessLock lock) {
        this.segment = segment;
        this.lock = lock;
        this.buffer = segment.buffer();
    }

    /** Python's {@code lock=True}: a new RLock. */
    static ProcessLock newLock() {
        return new RLock();
    }

    static ProcessLock requireLock(ProcessLock lock) {
        return Objects.requireNonNull(lock, "lock (use createRaw for a value without a lock)");
    }

    /** Whether it came with a lock (false for the raw variants). */
    public final boolean hasLock() {
        return lock != null;
    }

    /**
     * The lock that comes with it (Python's {@code get_lock()}); {@link IllegalStateException} for a
     * raw one, which has none.
     */
    public final ProcessLock getLock() {
        if (lock == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " was created raw and has no lock");
        }
        return lock;
    }

    /** Runs {@code action} holding the lock (Python's {@code with x.get_lock():}). */
    public final void withLock(Runnable action) {
        try (var held = getLock().hold()) {
            action.run();
        }
    }

    /** Computes {@code action}'s result holding the lock. */
    public final <T> T withLock(Supplier<T> action) {
        try (var held = getLock().hold()) {
            return action.get();
        }
    }

    /**
     * Releases this process's hold on the memory; afterwards its methods throw
     * {@link IllegalStateException}. Other processes keep using it. Does not close the lock, which
     * may be shared with other objects.
     */
    @Override
    public void close() {
        segment.close();
    }

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return segment.isClosed();
    }

    final ProcessLock lockOrNull() {
        return lock;
    }
}
