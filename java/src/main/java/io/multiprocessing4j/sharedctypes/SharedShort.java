package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.util.function.IntUnaryOperator;

/**
 * A 16-bit short in shared memory: Python's {@code Value('h')}, and {@code 'H'} through
 * {@link #getUnsigned()} and {@link #setUnsigned(int)}. Arithmetic wraps around within 16 bits, as in C.
 */
public final class SharedShort extends SharedScalar {
    private static final long serialVersionUID = 1L;
    private static final int MASK = 0xffff;

    private SharedShort(short initial, ProcessLock lock) {
        super(newSegment("SharedShort"), lock);
        INT.setVolatile(buffer, 0, initial & MASK);
    }

    private SharedShort(Segment segment, ProcessLock lock) {
        super(segment, lock);
    }

    /** {@code Value('h', initial)}: with a new RLock. */
    public static SharedShort create(short initial) {
        return new SharedShort(initial, newLock());
    }

    /** {@code Value('h', initial, lock=lock)}: with the given lock. */
    public static SharedShort create(short initial, ProcessLock lock) {
        return new SharedShort(initial, requireLock(lock));
    }

    /** {@code RawValue('h', initial)}: without a lock. */
    public static SharedShort createRaw(short initial) {
        return new SharedShort(initial, null);
    }

    /** The value (a volatile read). */
    public short get() {
        segment.checkOpen();
        return (short) (int) INT.getVolatile(buffer, 0);
    }

    /** Sets the value (a volatile write). */
    public void set(short value) {
        segment.checkOpen();
        INT.setVolatile(buffer, 0, value & MASK);
    }

    /** The value read as unsigned, 0 to 65535 (typecode {@code 'B'}). */
    public int getUnsigned() {
        return get() & MASK;
    }

    /** Sets an unsigned value, 0 to 65535; {@link IllegalArgumentException} outside. */
    public void setUnsigned(int value) {
        if (value < 0 || value > MASK) {
            throw new IllegalArgumentException("not an unsigned 16-bit value: " + value);
        }
        set((short) value);
    }

    public short getAndSet(short value) {
        segment.checkOpen();
        return (short) (int) INT.getAndSet(buffer, 0, value & MASK);
    }

    public short getAndAdd(short delta) {
        return (short) updateIntBits(bits -> (bits + delta) & MASK, false);
    }

    public short addAndGet(short delta) {
        return (short) updateIntBits(bits -> (bits + delta) & MASK, true);
    }

    public short incrementAndGet() {
        return addAndGet((short) 1);
    }

    public short decrementAndGet() {
        return addAndGet((short) -1);
    }

    /** Sets {@code update} if the value is {@code expect}, atomically; whether it did. */
    public boolean compareAndSet(short expect, short update) {
        segment.checkOpen();
        return INT.compareAndSet(buffer, 0, expect & MASK, update & MASK);
    }

    /** Applies {@code function} (its result narrowed to a short) atomically; the new value. */
    public short updateAndGet(IntUnaryOperator function) {
        return (short) updateIntBits(bits -> function.applyAsInt((short) bits) & MASK, true);
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedShort[closed]" : "SharedShort[" + get() + "]";
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedShort(segment, lockOrNull());
    }
}
