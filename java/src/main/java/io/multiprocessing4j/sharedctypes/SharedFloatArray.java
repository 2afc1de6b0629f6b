package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.FLOAT;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.nio.FloatBuffer;

/**
 * A fixed-length float array in shared memory: Python's {@code Array('f')}. Element reads and writes
 * are volatile; bulk copies to and from Java arrays are plain memory copies (order them with the
 * lock or a volatile access).
 */
public final class SharedFloatArray extends SharedArray {
    private static final long serialVersionUID = 1L;
    private static final int WIDTH = Float.BYTES;

    private final transient FloatBuffer elements;

    private SharedFloatArray(int length, float[] initial, ProcessLock lock) {
        super(newSegment(length, WIDTH, "SharedFloatArray"), lock, length);
        this.elements = buffer.asFloatBuffer();
        if (initial != null) {
            elements.put(0, initial);
        }
    }

    private SharedFloatArray(Segment segment, ProcessLock lock, int length) {
        super(segment, lock, length);
        this.elements = buffer.asFloatBuffer();
    }

    /** {@code Array('f', length)}: zeros, with a new RLock. */
    public static SharedFloatArray create(int length) {
        return new SharedFloatArray(length, null, newLock());
    }

    /** {@code Array('f', initial)}: a copy of {@code initial}, with a new RLock. */
    public static SharedFloatArray create(float[] initial) {
        return new SharedFloatArray(initial.length, initial, newLock());
    }

    /** {@code Array('f', length, lock=lock)}. */
    public static SharedFloatArray create(int length, ProcessLock lock) {
        return new SharedFloatArray(length, null, requireLock(lock));
    }

    /** {@code Array('f', initial, lock=lock)}. */
    public static SharedFloatArray create(float[] initial, ProcessLock lock) {
        return new SharedFloatArray(initial.length, initial, requireLock(lock));
    }

    /** {@code RawArray('f', length)}: zeros, without a lock. */
    public static SharedFloatArray createRaw(int length) {
        return new SharedFloatArray(length, null, null);
    }

    /** {@code RawArray('f', initial)}: a copy of {@code initial}, without a lock. */
    public static SharedFloatArray createRaw(float[] initial) {
        return new SharedFloatArray(initial.length, initial, null);
    }

    public float get(int index) {
        return (float) FLOAT.getVolatile(buffer, checkIndex(index) * WIDTH);
    }

    public void set(int index, float value) {
        FLOAT.setVolatile(buffer, checkIndex(index) * WIDTH, value);
    }

    /** Copies elements {@code index ..} into {@code destination[offset .. offset + count)}. */
    public void get(int index, float[] destination, int offset, int count) {
        checkRanges(index, destination.length, offset, count);
        elements.get(index, destination, offset, count);
    }

    /** Copies {@code destination.length} elements from {@code index} on into {@code destination}. */
    public void get(int index, float[] destination) {
        get(index, destination, 0, destination.length);
    }

    /** Copies {@code source[offset .. offset + count)} into the elements from {@code index} on. */
    public void set(int index, float[] source, int offset, int count) {
        checkRanges(index, source.length, offset, count);
        elements.put(index, source, offset, count);
    }

    /** Copies all of {@code source} into the elements from {@code index} on. */
    public void set(int index, float[] source) {
        set(index, source, 0, source.length);
    }

    /** A copy of elements {@code [from, to)} (Python's {@code arr[from:to]}). */
    public float[] copyOfRange(int from, int to) {
        float[] copy = new float[checkRange(from, to)];
        elements.get(from, copy, 0, copy.length);
        return copy;
    }

    /** A copy of all elements (Python's {@code arr[:]}). */
    public float[] toArray() {
        return copyOfRange(0, length());
    }

    @Override
    public String toString() {
        return "SharedFloatArray[length=" + length() + (isClosed() ? ", closed]" : "]");
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedFloatArray(segment, lockOrNull(), length());
    }
}
