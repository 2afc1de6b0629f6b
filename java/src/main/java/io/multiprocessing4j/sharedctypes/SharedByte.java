package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.util.function.IntUnaryOperator;

/**
 * A byte in shared memory: Python's {@code Value('b')}, {@code Value('c')} (a C char), and
 * {@code 'B'} through {@link #getUnsigned()} and {@link #setUnsigned(int)}. Arithmetic wraps
 * around within 8 bits, as in C.
 */
public final class SharedByte extends SharedScalar {
    private static final long serialVersionUID = 1L;
    private static final int MASK = 0xff;

    private SharedByte(byte initial, ProcessLock lock) {
        super(newSegment("SharedByte"), lock);
        INT.setVolatile(buffer, 0, initial & MASK);
    }

    private SharedByte(Segment segment, ProcessLock lock) {
        super(segment, lock);
    }

    /** {@code Value('b', initial)}: with a new RLock. */
    public static SharedByte create(byte initial) {
        return new SharedByte(initial, newLock());
    }

    /** {@code Value('b', initial, lock=lock)}: with the given lock. */
    public static SharedByte create(byte initial, ProcessLock lock) {
        return new SharedByte(initial, requireLock(lock));
    }

    /** {@code RawValue('b', initial)}: without a lock. */
    public static SharedByte createRaw(byte initial) {
        return new SharedByte(initial, null);
    }

    /** The value (a volatile read). */
    public byte get() {
        segment.checkOpen();
        return (byte) (int) INT.getVolatile(buffer, 0);
    }

    /** Sets the value (a volatile write). */
    public void set(byte value) {
        segment.checkOpen();
        INT.setVolatile(buffer, 0, value & MASK);
    }

    /** The value read as unsigned, 0 to 255 (typecode {@code 'B'}). */
    public int getUnsigned() {
        return get() & MASK;
    }

    /** Sets an unsigned value, 0 to 255; {@link IllegalArgumentException} outside. */
    public void setUnsigned(int value) {
        if (value < 0 || value > MASK) {
            throw new IllegalArgumentException("not an unsigned 8-bit value: " + value);
        }
        set((byte) value);
    }

    public byte getAndSet(byte value) {
        segment.checkOpen();
        return (byte) (int) INT.getAndSet(buffer, 0, value & MASK);
    }

    public byte getAndAdd(byte delta) {
        return (byte) updateIntBits(bits -> (bits + delta) & MASK, false);
    }

    public byte addAndGet(byte delta) {
        return (byte) updateIntBits(bits -> (bits + delta) & MASK, true);
    }

    public byte incrementAndGet() {
        return addAndGet((byte) 1);
    }

    public byte decrementAndGet() {
        return addAndGet((byte) -1);
    }

    /** Sets {@code update} if the value is {@code expect}, atomically; whether it did. */
    public boolean compareAndSet(byte expect, byte update) {
        segment.checkOpen();
        return INT.compareAndSet(buffer, 0, expect & MASK, update & MASK);
    }

    /** Applies {@code function} (its result narrowed to a byte) atomically; the new value. */
    public byte updateAndGet(IntUnaryOperator function) {
        return (byte) updateIntBits(bits -> function.applyAsInt((byte) bits) & MASK, true);
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedByte[closed]" : "SharedByte[" + get() + "]";
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedByte(segment, lockOrNull());
    }
}
