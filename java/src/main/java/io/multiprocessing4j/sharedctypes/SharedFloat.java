package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.util.function.DoubleUnaryOperator;

/**
 * A float in shared memory: Python's {@code Value('f')}. The atomics compare by bit pattern
 * (as {@link Float#floatToRawIntBits}), so NaN matches NaN and 0.0 does not match -0.0.
 */
public final class SharedFloat extends SharedScalar {
    private static final long serialVersionUID = 1L;

    private SharedFloat(float initial, ProcessLock lock) {
        super(newSegment("SharedFloat"), lock);
        INT.setVolatile(buffer, 0, Float.floatToRawIntBits(initial));
    }

    private SharedFloat(Segment segment, ProcessLock lock) {
        super(segment, lock);
    }

    /** {@code Value('f', initial)}: with a new RLock. */
    public static SharedFloat create(float initial) {
        return new SharedFloat(initial, newLock());
    }

    /** {@code Value('f', initial, lock=lock)}: with the given lock. */
    public static SharedFloat create(float initial, ProcessLock lock) {
        return new SharedFloat(initial, requireLock(lock));
    }

    /** {@code RawValue('f', initial)}: without a lock. */
    public static SharedFloat createRaw(float initial) {
        return new SharedFloat(initial, null);
    }

    /** The value (a volatile read). */
    public float get() {
        segment.checkOpen();
        return Float.intBitsToFloat((int) INT.getVolatile(buffer, 0));
    }

    /** Sets the value (a volatile write). */
    public void set(float value) {
        segment.checkOpen();
        INT.setVolatile(buffer, 0, Float.floatToRawIntBits(value));
    }

    public float getAndSet(float value) {
        segment.checkOpen();
        return Float.intBitsToFloat((int) INT.getAndSet(buffer, 0, Float.floatToRawIntBits(value)));
    }

    public float getAndAdd(float delta) {
        return Float.intBitsToFloat(updateIntBits(bits -> plus(bits, delta), false));
    }

    public float addAndGet(float delta) {
        return Float.intBitsToFloat(updateIntBits(bits -> plus(bits, delta), true));
    }

    /** Sets {@code update} if the value is {@code expect} (bitwise), atomically; whether it did. */
    public boolean compareAndSet(float expect, float update) {
        segment.checkOpen();
        return INT.compareAndSet(buffer, 0, Float.floatToRawIntBits(expect), Float.floatToRawIntBits(update));
    }

    /** Applies {@code function} atomically (retrying if another process changed the value meanwhile); the new value. */
    public float updateAndGet(DoubleUnaryOperator function) {
        return Float.intBitsToFloat(updateIntBits(
                bits -> Float.floatToRawIntBits((float) function.applyAsDouble(Float.intBitsToFloat(bits))), true));
    }

    private static int plus(int bits, float delta) {
        return Float.floatToRawIntBits(Float.intBitsToFloat(bits) + delta);
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedFloat[closed]" : "SharedFloat[" + get() + "]";
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedFloat(segment, lockOrNull());
    }
}
