package io.multiprocessing4j.support;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.SharedWords;
import java.io.Serializable;

/**
 * A long in shared memory for tests: {@link #plainIncrement()} is a deliberately unprotected
 * read-then-write (it loses updates unless callers exclude each other), {@link #add} is atomic.
 * Travels to children like the library's own shared objects.
 */
public final class SharedCounter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Segment segment = Segment.createAnonymous(8, "SharedCounter");

    public long get() {
        return (long) SharedWords.LONG.getVolatile(segment.buffer(), 0);
    }

    public void set(long value) {
        SharedWords.LONG.setVolatile(segment.buffer(), 0, value);
    }

    /** get, then set one more: two separate accesses, with a yield in between to invite races. */
    public void plainIncrement() {
        long value = get();
        if ((value & 7) == 0) {
            Thread.yield();
        }
        set(value + 1);
    }

    public long add(long delta) {
        return (long) SharedWords.LONG.getAndAdd(segment.buffer(), 0, delta) + delta;
    }
}
