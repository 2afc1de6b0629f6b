package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.util.function.DoubleUnaryOperator;

/**
 * A double in shared memory: Python's {@code Value('d')}. The atomics compare by bit pattern
 * (as {@link Double#doubleToRawLongBits}), so NaN matches NaN and 0.0 does not match -0.0.
 */
public final class SharedDouble extends SharedScalar {
    private static final long serialVersionUID = 1L;

    private SharedDouble(double initial, ProcessLock lock) {
        super(newSegment("SharedDouble"), lock);
        LONG.setVolatile(buffer, 0, Double.doubleToRawLongBits(initial));
    }

    private SharedDouble(Segment segment, ProcessLock lock) {
        super(segment, lock);
    }

    /** {@code Value('d', initial)}: with a new RLock. */
    public static SharedDouble create(double initial) {
        return new SharedDouble(initial, newLock());
    }

    /** {@code Value('d', initial, lock=lock)}: with the given lock. */
    public static SharedDouble create(double initial, ProcessLock lock) {
        return new SharedDouble(initial, requireLock(lock));
    }

    /** {@code RawValue('d', initial)}: without a lock. */
    public static SharedDouble createRaw(double initial) {
        return new SharedDouble(initial, null);
    }

    /** The value (a volatile read). */
    public double get() {
        segment.checkOpen();
        return Double.longBitsToDouble((long) LONG.getVolatile(buffer, 0));
    }

    /** Sets the value (a volatile write). */
    public void set(double value) {
        segment.checkOpen();
        LONG.setVolatile(buffer, 0, Double.doubleToRawLongBits(value));
    }

    public double getAndSet(double value) {
        segment.checkOpen();
        return Double.longBitsToDouble((long) LONG.getAndSet(buffer, 0, Double.doubleToRawLongBits(value)));
    }

    public double getAndAdd(double delta) {
        return Double.longBitsToDouble(updateLongBits(bits -> plus(bits, delta), false));
    }

    public double addAndGet(double delta) {
        return Double.longBitsToDouble(updateLongBits(bits -> plus(bits, delta), true));
    }

    /** Sets {@code update} if the value is {@code expect} (bitwise), atomically; whether it did. */
    public boolean compareAndSet(double expect, double update) {
        segment.checkOpen();
        return LONG.compareAndSet(buffer, 0, Double.doubleToRawLongBits(expect), Double.doubleToRawLongBits(update));
    }

    /** Applies {@code function} atomically (retrying if another process changed the value meanwhile); the new value. */
    public double updateAndGet(DoubleUnaryOperator function) {
        return Double.longBitsToDouble(updateLongBits(
                bits -> Double.doubleToRawLongBits(function.applyAsDouble(Double.longBitsToDouble(bits))), true));
    }

    private static long plus(long bits, double delta) {
        return Double.doubleToRawLongBits(Double.longBitsToDouble(bits) + delta);
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedDouble[closed]" : "SharedDouble[" + get() + "]";
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedDouble(segment, lockOrNull());
    }
}
