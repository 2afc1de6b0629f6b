package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.util.function.IntUnaryOperator;

/**
 * A 32-bit int in shared memory: Python's {@code Value('i')} (and {@code 'I'} through
 * {@link #getUnsigned()} and {@link #setUnsigned(long)}). See the package documentation.
 */
public final class SharedInt extends SharedScalar {
    private static final long serialVersionUID = 1L;

    private SharedInt(int initial, ProcessLock lock) {
        super(newSegment("SharedInt"), lock);
        INT.setVolatile(buffer, 0, initial);
    }

    private SharedInt(Segment segment, ProcessLock lock) {
        super(segment, lock);
    }

    /** {@code Value('i', initial)}: with a new RLock. */
    public static SharedInt create(int initial) {
        return new SharedInt(initial, newLock());
    }

    /** {@code Value('i', initial, lock=lock)}: with the given lock. */
    public static SharedInt create(int initial, ProcessLock lock) {
        return new SharedInt(initial, requireLock(lock));
    }

    /** {@code RawValue('i', initial)}: without a lock. */
    public static SharedInt createRaw(int initial) {
        return new SharedInt(initial, null);
    }

    /** The value (a volatile read). */
    public int get() {
        segment.checkOpen();
        return (int) INT.getVolatile(buffer, 0);
    }

    /** Sets the value (a volatile write). */
    public void set(int value) {
        segment.checkOpen();
        INT.setVolatile(buffer, 0, value);
    }

    /** The value read as unsigned, 0 to 2^32 - 1 (typecode {@code 'I'}). */
    public long getUnsigned() {
        return Integer.toUnsignedLong(get());
    }

    /** Sets an unsigned value, 0 to 2^32 - 1; {@link IllegalArgumentException} outside. */
    public void setUnsigned(long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException("not an unsigned 32-bit value: " + value);
        }
        set((int) value);
    }

    public int getAndSet(int value) {
        segment.checkOpen();
        return (int) INT.getAndSet(buffer, 0, value);
    }

    public int getAndAdd(int delta) {
        segment.checkOpen();
        return (int) INT.getAndAdd(buffer, 0, delta);
    }

    public int addAndGet(int delta) {
        return getAndAdd(delta) + delta;
    }

    public int incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    public int decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /** Sets {@code update} if the value is {@code expect}, atomically; whether it did. */
    public boolean compareAndSet(int expect, int update) {
        segment.checkOpen();
        return INT.compareAndSet(buffer, 0, expect, update);
    }

    /** Applies {@code function} atomically (retrying if another process changed the value meanwhile); the new value. */
    public int updateAndGet(IntUnaryOperator function) {
        return updateIntBits(function, true);
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedInt[closed]" : "SharedInt[" + get() + "]";
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedInt(segment, lockOrNull());
    }
}
