package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.DOUBLE;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.nio.DoubleBuffer;

/**
 * A fixed-length double array in shared memory: Python's {@code Array('d')}. Element reads and writes
 * are volatile; bulk copies to and from Java arrays are plain memory copies (order them with the
 * lock or a volatile access).
 */
public final class SharedDoubleArray extends SharedArray {
    private static final long serialVersionUID = 1L;
    private static final int WIDTH = Double.BYTES;

    private final transient DoubleBuffer elements;

    private SharedDoubleArray(int length, double[] initial, ProcessLock lock) {
        super(newSegment(length, WIDTH, "SharedDoubleArray"), lock, length);
        this.elements = buffer.asDoubleBuffer();
        if (initial != null) {
            elements.put(0, initial);
        }
    }

    private SharedDoubleArray(Segment segment, ProcessLock lock, int length) {
        super(segment, lock, length);
        this.elements = buffer.asDoubleBuffer();
    }

    /** {@code Array('d', length)}: zeros, with a new RLock. */
    public static SharedDoubleArray create(int length) {
        return new SharedDoubleArray(length, null, newLock());
    }

    /** {@code Array('d', initial)}: a copy of {@code initial}, with a new RLock. */
    public static SharedDoubleArray create(double[] initial) {
        return new SharedDoubleArray(initial.length, initial, newLock());
    }

    /** {@code Array('d', length, lock=lock)}. */
    public static SharedDoubleArray create(int length, ProcessLock lock) {
        return new SharedDoubleArray(length, null, requireLock(lock));
    }

    /** {@code Array('d', initial, lock=lock)}. */
    public static SharedDoubleArray create(double[] initial, ProcessLock lock) {
        return new SharedDoubleArray(initial.length, initial, requireLock(lock));
    }

    /** {@code RawArray('d', length)}: zeros, without a lock. */
    public static SharedDoubleArray createRaw(int length) {
        return new SharedDoubleArray(length, null, null);
    }

    /** {@code RawArray('d', initial)}: a copy of {@code initial}, without a lock. */
    public static SharedDoubleArray createRaw(double[] initial) {
        return new SharedDoubleArray(initial.length, initial, null);
    }

    public double get(int index) {
        return (double) DOUBLE.getVolatile(buffer, checkIndex(index) * WIDTH);
    }

    public void set(int index, double value) {
        DOUBLE.setVolatile(buffer, checkIndex(index) * WIDTH, value);
    }

    /** Copies elements {@code index ..} into {@code destination[offset .. offset + count)}. */
    public void get(int index, double[] destination, int offset, int count) {
        checkRanges(index, destination.length, offset, count);
        elements.get(index, destination, offset, count);
    }

    /** Copies {@code destination.length} elements from {@code index} on into {@code destination}. */
    public void get(int index, double[] destination) {
        get(index, destination, 0, destination.length);
    }

    /** Copies {@code source[offset .. offset + count)} into the elements from {@code index} on. */
    public void set(int index, double[] source, int offset, int count) {
        checkRanges(index, source.length, offset, count);
        elements.put(index, source, offset, count);
    }

    /** Copies all of {@code source} into the elements from {@code index} on. */
    public void set(int index, double[] source) {
        set(index, source, 0, source.length);
    }

    /** A copy of elements {@code [from, to)} (Python's {@code arr[from:to]}). */
    public double[] copyOfRange(int from, int to) {
        double[] copy = new double[checkRange(from, to)];
        elements.get(from, copy, 0, copy.length);
        return copy;
    }

    /** A copy of all elements (Python's {@code arr[:]}). */
    public double[] toArray() {
        return copyOfRange(0, length());
    }

    @Override
    public String toString() {
        return "SharedDoubleArray[length=" + length() + (isClosed() ? ", closed]" : "]");
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedDoubleArray(segment, lockOrNull(), length());
    }
}
