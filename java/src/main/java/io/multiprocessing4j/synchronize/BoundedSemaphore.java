package io.multiprocessing4j.synchronize;

import io.multiprocessing4j.internal.shm.Segment;
import java.io.ObjectStreamException;

/**
 * A semaphore that refuses to be released above its initial value: Python's
 * {@code multiprocessing.BoundedSemaphore}. Such a release throws {@link IllegalStateException}
 * ("semaphore or lock released too many times"); the check and the increment are one atomic step,
 * so two processes releasing at once cannot both get past it.
 */
public final class BoundedSemaphore extends Semaphore {
    private static final long serialVersionUID = 1L;

    private final int initialValue;

    /** A bounded semaphore with one unit. */
    public BoundedSemaphore() {
        this(1);
    }

    /** A bounded semaphore with {@code value} units, never more. */
    public BoundedSemaphore(int value) {
        super(value, value, "BoundedSemaphore");
        this.initialValue = value;
    }

    private BoundedSemaphore(Segment segment, int initialValue) {
        super(segment, initialValue);
        this.initialValue = initialValue;
    }

    /** The initial value, which the value can never exceed. */
    public int bound() {
        return initialValue;
    }

    private Object readResolve() throws ObjectStreamException {
        return new BoundedSemaphore(segment, initialValue);
    }
}
