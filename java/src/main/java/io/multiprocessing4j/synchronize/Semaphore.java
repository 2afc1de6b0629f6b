package io.multiprocessing4j.synchronize;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.SemaphoreWord;
import io.multiprocessing4j.internal.time.Durations;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;

/**
 * A counting semaphore shared between processes: Python's {@code multiprocessing.Semaphore}, on a
 * POSIX semaphore ({@code sem_init} with pshared) in shared memory.
 *
 * <p>Taking and giving units when no process has to sleep happens in Java on the shared word
 * (see {@link SemaphoreWord}); only real waits go to the kernel.
 */
public sealed class Semaphore implements AutoCloseable, Serializable permits BoundedSemaphore {
    private static final long serialVersionUID = 1L;

    final Segment segment;
    private final int bound;
    private final transient SemaphoreWord word;

    /** A semaphore with one unit. */
    public Semaphore() {
        this(1);
    }

    /** A semaphore with {@code value} units; {@code value} must not be negative. */
    public Semaphore(int value) {
        this(value, SemaphoreWord.MAX_VALUE, "Semaphore");
    }

    Semaphore(int value, int bound, String what) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0: " + value);
        }
        this.segment = Segment.createAnonymous(SemaphoreWord.SIZE, what);
        this.bound = bound;
        this.word = new SemaphoreWord(segment.buffer(), 0);
        word.init(value);
    }

    /** An existing semaphore arriving in this process. */
    Semaphore(Segment segment, int bound) {
        this.segment = segment;
        this.bound = bound;
        this.word = new SemaphoreWord(segment.buffer(), 0);
    }

    /** Takes a unit, waiting as long as it takes. */
    public boolean acquire() throws InterruptedException {
        segment.checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return word.acquire(-1, true);
    }

    /** Python's {@code acquire(block)}: with {@code block} false, takes a unit only if one is there. */
    public boolean acquire(boolean block) throws InterruptedException {
        return block ? acquire() : tryAcquire();
    }

    /** Takes a unit, waiting at most {@code timeout}; false if none came. */
    public boolean acquire(Duration timeout) throws InterruptedException {
        long nanos = Durations.toNanos(timeout);
        segment.checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return word.acquire(nanos, true);
    }

    /** Takes a unit if one is there; never waits. */
    public boolean tryAcquire() {
        segment.checkOpen();
        return word.tryAcquire();
    }

    /**
     * Gives a unit back, waking a waiter if there is one. Any thread of any process may release.
     * Throws {@link IllegalStateException} when the value would exceed its maximum.
     */
    public void release() {
        segment.checkOpen();
        if (!word.release(bound)) {
            throw new IllegalStateException(bound == SemaphoreWord.MAX_VALUE
                    ? "semaphore value would exceed its maximum (" + SemaphoreWord.MAX_VALUE + ")"
                    : "semaphore or lock released too many times");
        }
    }

    /** The number of units available now (Python's {@code get_value()}). */
    public int getValue() {
        segment.checkOpen();
        return word.value();
    }

    /** Takes a unit for a try-with-resources block, which gives it back. Not interruptible. */
    public ProcessLock.Held hold() {
        segment.checkOpen();
        try {
            word.acquire(-1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible acquire was interrupted", impossible);
        }
        return new ProcessLock.Held(this::release);
    }

    /**
     * Releases this process's hold on the semaphore's shared memory; afterwards its methods throw
     * {@link IllegalStateException}. Other processes keep using it.
     */
    @Override
    public void close() {
        segment.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + (segment.isClosed() ? "[closed]" : "[value=" + word.value() + "]");
    }

    private Object readResolve() throws ObjectStreamException {
        return new Semaphore(segment, bound);
    }
}
