package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.nio.IntBuffer;

/**
 * A fixed-length int array in shared memory: Python's {@code Array('i')}. Element reads and writes
 * are volatile; {@code getAndAdd}, {@code compareAndSet} and the like are atomic; bulk copies to and
 * from Java arrays are plain memory copies (order them with the lock or a volatile access).
 */
public final class SharedIntArray extends SharedArray {
    private static final long serialVersionUID = 1L;
    private static final int WIDTH = Integer.BYTES;

    private final transient IntBuffer elements;

    private SharedIntArray(int length, int[] initial, ProcessLock lock) {
        super(newSegment(length, WIDTH, "SharedIntArray"), lock, length);
        this.elements = buffer.asIntBuffer();
        if (initial != null) {
            elements.put(0, initial);
        }
    }

    private SharedIntArray(Segment segment, ProcessLock lock, int length) {
        super(segment, lock, length);
        this.elements = buffer.asIntBuffer();
    }

    /** {@code Array('i', length)}: zeros, with a new RLock. */
    public static SharedIntArray create(int length) {
        return new SharedIntArray(length, null, newLock());
    }

    /** {@code Array('i', initial)}: a copy of {@code initial}, with a new RLock. */
    public static SharedIntArray create(int[] initial) {
        return new SharedIntArray(initial.length, initial, newLock());
    }

    /** {@code Array('i', length, lock=lock)}. */
    public static SharedIntArray create(int length, ProcessLock lock) {
        return new SharedIntArray(length, null, requireLock(lock));
    }

    /** {@code Array('i', initial, lock=lock)}. */
    public static SharedIntArray create(int[] initial, ProcessLock lock) {
        return new SharedIntArray(initial.length, initial, requireLock(lock));
    }

    /** {@code RawArray('i', length)}: zeros, without a lock. */
    public static SharedIntArray createRaw(int length) {
        return new SharedIntArray(length, null, null);
    }

    /** {@code RawArray('i', initial)}: a copy of {@code initial}, without a lock. */
    public static SharedIntArray createRaw(int[] initial) {
        return new SharedIntArray(initial.length, initial, null);
    }

    public int get(int index) {
        return (int) INT.getVolatile(buffer, checkIndex(index) * WIDTH);
    }

    public void set(int index, int value) {
        INT.setVolatile(buffer, checkIndex(index) * WIDTH, value);
    }

    public int getAndSet(int index, int value) {
        return (int) INT.getAndSet(buffer, checkIndex(index) * WIDTH, value);
    }

    public int getAndAdd(int index, int delta) {
        return (int) INT.getAndAdd(buffer, checkIndex(index) * WIDTH, delta);
    }

    public int addAndGet(int index, int delta) {
        return getAndAdd(index, delta) + delta;
    }

    public int incrementAndGet(int index) {
        return getAndAdd(index, 1) + 1;
    }

    public int decrementAndGet(int index) {
        return getAndAdd(index, -1) - 1;
    }

    /** Sets element {@code index} to {@code update} if it is {@code expect}, atomically; whether it did. */
    public boolean compareAndSet(int index, int expect, int update) {
        return INT.compareAndSet(buffer, checkIndex(index) * WIDTH, expect, update);
    }

    /** Copies elements {@code index ..} into {@code destination[offset .. offset + count)}. */
    public void get(int index, int[] destination, int offset, int count) {
        checkRanges(index, destination.length, offset, count);
        elements.get(index, destination, offset, count);
    }

    /** Copies {@code destination.length} elements from {@code index} on into {@code destination}. */
    public void get(int index, int[] destination) {
        get(index, destination, 0, destination.length);
    }

    /** Copies {@code source[offset .. offset + count)} into the elements from {@code index} on. */
    public void set(int index, int[] source, int offset, int count) {
        checkRanges(index, source.length, offset, count);
        elements.put(index, source, offset, count);
    }

    /** Copies all of {@code source} into the elements from {@code index} on. */
    public void set(int index, int[] source) {
        set(index, source, 0, source.length);
    }

    /** A copy of elements {@code [from, to)} (Python's {@code arr[from:to]}). */
    public int[] copyOfRange(int from, int to) {
        int[] copy = new int[checkRange(from, to)];
        elements.get(from, copy, 0, copy.length);
        return copy;
    }

    /** A copy of all elements (Python's {@code arr[:]}). */
    public int[] toArray() {
        return copyOfRange(0, length());
    }

    @Override
    public String toString() {
        return "SharedIntArray[length=" + length() + (isClosed() ? ", closed]" : "]");
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedIntArray(segment, lockOrNull(), length());
    }
}
