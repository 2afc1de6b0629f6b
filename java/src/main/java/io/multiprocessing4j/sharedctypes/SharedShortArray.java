package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.SHORT;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.nio.ShortBuffer;

/**
 * A fixed-length short array in shared memory: Python's {@code Array('h')}. Element reads and writes
 * are volatile; bulk copies to and from Java arrays are plain memory copies (order them with the
 * lock or a volatile access).
 */
public final class SharedShortArray extends SharedArray {
    private static final long serialVersionUID = 1L;
    private static final int WIDTH = Short.BYTES;

    private final transient ShortBuffer elements;

    private SharedShortArray(int length, short[] initial, ProcessLock lock) {
        super(newSegment(length, WIDTH, "SharedShortArray"), lock, length);
        this.elements = buffer.asShortBuffer();
        if (initial != null) {
            elements.put(0, initial);
        }
    }

    private SharedShortArray(Segment segment, ProcessLock lock, int length) {
        super(segment, lock, length);
        this.elements = buffer.asShortBuffer();
    }

    /** {@code Array('h', length)}: zeros, with a new RLock. */
    public static SharedShortArray create(int length) {
        return new SharedShortArray(length, null, newLock());
    }

    /** {@code Array('h', initial)}: a copy of {@code initial}, with a new RLock. */
    public static SharedShortArray create(short[] initial) {
        return new SharedShortArray(initial.length, initial, newLock());
    }

    /** {@code Array('h', length, lock=lock)}. */
    public static SharedShortArray create(int length, ProcessLock lock) {
        return new SharedShortArray(length, null, requireLock(lock));
    }

    /** {@code Array('h', initial, lock=lock)}. */
    public static SharedShortArray create(short[] initial, ProcessLock lock) {
        return new SharedShortArray(initial.length, initial, requireLock(lock));
    }

    /** {@code RawArray('h', length)}: zeros, without a lock. */
    public static SharedShortArray createRaw(int length) {
        return new SharedShortArray(length, null, null);
    }

    /** {@code RawArray('h', initial)}: a copy of {@code initial}, without a lock. */
    public static SharedShortArray createRaw(short[] initial) {
        return new SharedShortArray(initial.length, initial, null);
    }

    public short get(int index) {
        return (short) SHORT.getVolatile(buffer, checkIndex(index) * WIDTH);
    }

    public void set(int index, short value) {
        SHORT.setVolatile(buffer, checkIndex(index) * WIDTH, value);
    }

    /** Copies elements {@code index ..} into {@code destination[offset .. offset + count)}. */
    public void get(int index, short[] destination, int offset, int count) {
        checkRanges(index, destination.length, offset, count);
        elements.get(index, destination, offset, count);
    }

    /** Copies {@code destination.length} elements from {@code index} on into {@code destination}. */
    public void get(int index, short[] destination) {
        get(index, destination, 0, destination.length);
    }

    /** Copies {@code source[offset .. offset + count)} into the elements from {@code index} on. */
    public void set(int index, short[] source, int offset, int count) {
        checkRanges(index, source.length, offset, count);
        elements.put(index, source, offset, count);
    }

    /** Copies all of {@code source} into the elements from {@code index} on. */
    public void set(int index, short[] source) {
        set(index, source, 0, source.length);
    }

    /** A copy of elements {@code [from, to)} (Python's {@code arr[from:to]}). */
    public short[] copyOfRange(int from, int to) {
        short[] copy = new short[checkRange(from, to)];
        elements.get(from, copy, 0, copy.length);
        return copy;
    }

    /** A copy of all elements (Python's {@code arr[:]}). */
    public short[] toArray() {
        return copyOfRange(0, length());
    }

    @Override
    public String toString() {
        return "SharedShortArray[length=" + length() + (isClosed() ? ", closed]" : "]");
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedShortArray(segment, lockOrNull(), length());
    }
}
