package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.util.function.LongUnaryOperator;

/**
 * A 64-bit long in shared memory: Python's {@code Value('q')} and {@code Value('l')} (a C long is
 * 64 bits on Linux). The unsigned {@code 'Q'} and {@code 'L'} share the bits; read them with
 * {@link Long#toUnsignedString(long)} and {@link Long#compareUnsigned(long, long)}.
 */
public final class SharedLong extends SharedScalar {
    private static final long serialVersionUID = 1L;

    private SharedLong(long initial, ProcessLock lock) {
        super(newSegment("SharedLong"), lock);
        LONG.setVolatile(buffer, 0, initial);
    }

    private SharedLong(Segment segment, ProcessLock lock) {
        super(segment, lock);
    }

    /** {@code Value('q', initial)}: with a new RLock. */
    public static SharedLong create(long initial) {
        return new SharedLong(initial, newLock());
    }

    /** {@code Value('q', initial, lock=lock)}: with the given lock. */
    public static SharedLong create(long initial, ProcessLock lock) {
        return new SharedLong(initial, requireLock(lock));
    }

    /** {@code RawValue('q', initial)}: without a lock. */
    public static SharedLong createRaw(long initial) {
        return new SharedLong(initial, null);
    }

    /** The value (a volatile read). */
    public long get() {
        segment.checkOpen();
        return (long) LONG.getVolatile(buffer, 0);
    }

    /** Sets the value (a volatile write). */
    public void set(long value) {
        segment.checkOpen();
        LONG.setVolatile(buffer, 0, value);
    }

    public long getAndSet(long value) {
        segment.checkOpen();
        return (long) LONG.getAndSet(buffer, 0, value);
    }

    public long getAndAdd(long delta) {
        segment.checkOpen();
        return (long) LONG.getAndAdd(buffer, 0, delta);
    }

    public long addAndGet(long delta) {
        return getAndAdd(delta) + delta;
    }

    public long incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    public long decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /** Sets {@code update} if the value is {@code expect}, atomically; whether it did. */
    public boolean compareAndSet(long expect, long update) {
        segment.checkOpen();
        return LONG.compareAndSet(buffer, 0, expect, update);
    }

    /** Applies {@code function} atomically (retrying if another process changed the value meanwhile); the new value. */
    public long updateAndGet(LongUnaryOperator function) {
        return updateLongBits(function, true);
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedLong[closed]" : "SharedLong[" + get() + "]";
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedLong(segment, lockOrNull());
    }
}
