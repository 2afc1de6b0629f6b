package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.nio.LongBuffer;

/**
 * A fixed-length long array in shared memory: Python's {@code Array('q')}. Element reads and writes
 * are volatile; {@code getAndAdd}, {@code compareAndSet} and the like are atomic; bulk copies to and
 * from Java arrays are plain memory copies (order them with the lock or a volatile access).
 */
public final class SharedLongArray extends SharedArray {
    private static final long serialVersionUID = 1L;
    private static final int WIDTH = Long.BYTES;

    private final transient LongBuffer elements;

    private SharedLongArray(int length, long[] initial, ProcessLock lock) {
        super(newSegment(length, WIDTH, "SharedLongArray"), lock, length);
        this.elements = buffer.asLongBuffer();
        if (initial != null) {
            elements.put(0, initial);
        }
    }

    private SharedLongArray(Segment segment, ProcessLock lock, int length) {
        super(segment, lock, length);
        this.elements = buffer.asLongBuffer();
    }

    /** {@code Array('q', length)}: zeros, with a new RLock. */
    public static SharedLongArray create(int length) {
        return new SharedLongArray(length, null, newLock());
    }

    /** {@code Array('q', initial)}: a copy of {@code initial}, with a new RLock. */
    public static SharedLongArray create(long[] initial) {
        return new SharedLongArray(initial.length, initial, newLock());
    }

    /** {@code Array('q', length, lock=lock)}. */
    public static SharedLongArray create(int length, ProcessLock lock) {
        return new SharedLongArray(length, null, requireLock(lock));
    }

    /** {@code Array('q', initial, lock=lock)}. */
    public static SharedLongArray create(long[] initial, ProcessLock lock) {
        return new SharedLongArray(initial.length, initial, requireLock(lock));
    }

    /** {@code RawArray('q', length)}: zeros, without a lock. */
    public static SharedLongArray createRaw(int length) {
        return new SharedLongArray(length, null, null);
    }

    /** {@code RawArray('q', initial)}: a copy of {@code initial}, without a lock. */
    public static SharedLongArray createRaw(long[] initial) {
        return new SharedLongArray(initial.length, initial, null);
    }

    public long get(int index) {
        return (long) LONG.getVolatile(buffer, checkIndex(index) * WIDTH);
    }

    public void set(int index, long value) {
        LONG.setVolatile(buffer, checkIndex(index) * WIDTH, value);
    }

    public long getAndSet(int index, long value) {
        return (long) LONG.getAndSet(buffer, checkIndex(index) * WIDTH, value);
    }

    public long getAndAdd(int index, long delta) {
        return (long) LONG.getAndAdd(buffer, checkIndex(index) * WIDTH, delta);
    }

    public long addAndGet(int index, long delta) {
        return getAndAdd(index, delta) + delta;
    }

    public long incrementAndGet(int index) {
        return getAndAdd(index, 1) + 1;
    }

    public long decrementAndGet(int index) {
        return getAndAdd(index, -1) - 1;
    }

    /** Sets element {@code index} to {@code update} if it is {@code expect}, atomically; whether it did. */
    public boolean compareAndSet(int index, long expect, long update) {
        return LONG.compareAndSet(buffer, checkIndex(index) * WIDTH, expect, update);
    }

    /** Copies elements {@code index ..} into {@code destination[offset .. offset + count)}. */
    public void get(int index, long[] destination, int offset, int count) {
        checkRanges(index, destination.length, offset, count);
        elements.get(index, destination, offset, count);
    }

    /** Copies {@code destination.length} elements from {@code index} on into {@code destination}. */
    public void get(int index, long[] destination) {
        get(index, destination, 0, destination.length);
    }

    /** Copies {@code source[offset .. offset + count)} into the elements from {@code index} on. */
    public void set(int index, long[] source, int offset, int count) {
        checkRanges(index, source.length, offset, count);
        elements.put(index, source, offset, count);
    }

    /** Copies all of {@code source} into the elements from {@code index} on. */
    public void set(int index, long[] source) {
        set(index, source, 0, source.length);
    }

    /** A copy of elements {@code [from, to)} (Python's {@code arr[from:to]}). */
    public long[] copyOfRange(int from, int to) {
        long[] copy = new long[checkRange(from, to)];
        elements.get(from, copy, 0, copy.length);
        return copy;
    }

    /** A copy of all elements (Python's {@code arr[:]}). */
    public long[] toArray() {
        return copyOfRange(0, length());
    }

    @Override
    public String toString() {
        return "SharedLongArray[length=" + length() + (isClosed() ? ", closed]" : "]");
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedLongArray(segment, lockOrNull(), length());
    }
}
