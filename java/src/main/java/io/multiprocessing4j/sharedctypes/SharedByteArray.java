package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.io.ObjectStreamException;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fixed-length byte array in shared memory: Python's {@code Array('b')} and {@code Array('c')}.
 * Like a {@code c_char} array it converts to and from strings: {@link #value()} is the text up to the
 * first NUL byte, {@link #raw()} every byte.
 *
 * <p>Element reads and writes are ordered like volatile accesses (fenced plain accesses: there is
 * no atomic access to single bytes); bulk copies are plain memory copies.
 */
public final class SharedByteArray extends SharedArray {
    private static final long serialVersionUID = 1L;

    private SharedByteArray(int length, byte[] initial, ProcessLock lock) {
        super(newSegment(length, 1, "SharedByteArray"), lock, length);
        if (initial != null) {
            buffer.put(0, initial);
        }
    }

    private SharedByteArray(Segment segment, ProcessLock lock, int length) {
        super(segment, lock, length);
    }

    /** {@code Array('c', length)}: zeros, with a new RLock. */
    public static SharedByteArray create(int length) {
        return new SharedByteArray(length, null, newLock());
    }

    /** {@code Array('c', initial)}: a copy of {@code initial}, with a new RLock. */
    public static SharedByteArray create(byte[] initial) {
        return new SharedByteArray(initial.length, initial, newLock());
    }

    /** {@code Array('c', length, lock=lock)}. */
    public static SharedByteArray create(int length, ProcessLock lock) {
        return new SharedByteArray(length, null, requireLock(lock));
    }

    /** {@code Array('c', initial, lock=lock)}. */
    public static SharedByteArray create(byte[] initial, ProcessLock lock) {
        return new SharedByteArray(initial.length, initial, requireLock(lock));
    }

    /** {@code RawArray('c', length)}: zeros, without a lock. */
    public static SharedByteArray createRaw(int length) {
        return new SharedByteArray(length, null, null);
    }

    /** {@code RawArray('c', initial)}: a copy of {@code initial}, without a lock. */
    public static SharedByteArray createRaw(byte[] initial) {
        return new SharedByteArray(initial.length, initial, null);
    }

    /**
     * Element {@code index}, read with acquire semantics: what the writer wrote before it is seen
     * too. Throws {@link IndexOutOfBoundsException} outside the array, {@link IllegalStateException}
     * once closed. Not atomic with other calls: hold {@link #getLock()} for that, as in Python.
     */
    public byte get(int index) {
        byte value = buffer.get(checkIndex(index));
        VarHandle.acquireFence();
        return value;
    }

    /**
     * Sets element {@code index}, visible to every process that reads it afterwards. Throws
     * {@link IndexOutOfBoundsException} outside the array, {@link IllegalStateException} once closed.
     */
    public void set(int index, byte value) {
        checkIndex(index);
        VarHandle.releaseFence();
        buffer.put(index, value);
        VarHandle.fullFence();
    }

    /** The element read as unsigned, 0 to 255 (typecode {@code 'B'}). */
    public int getUnsigned(int index) {
        return get(index) & 0xff;
    }

    /** Copies elements {@code index ..} into {@code destination[offset .. offset + count)}. */
    public void get(int index, byte[] destination, int offset, int count) {
        checkRanges(index, destination.length, offset, count);
        buffer.get(index, destination, offset, count);
    }

    /** Copies {@code destination.length} elements from {@code index} on into {@code destination}. */
    public void get(int index, byte[] destination) {
        get(index, destination, 0, destination.length);
    }

    /** Copies {@code source[offset .. offset + count)} into the elements from {@code index} on. */
    public void set(int index, byte[] source, int offset, int count) {
        checkRanges(index, source.length, offset, count);
        buffer.put(index, source, offset, count);
    }

    /** Copies all of {@code source} into the elements from {@code index} on. */
    public void set(int index, byte[] source) {
        set(index, source, 0, source.length);
    }

    /** A copy of elements {@code [from, to)} (Python's {@code arr[from:to]}). */
    public byte[] copyOfRange(int from, int to) {
        byte[] copy = new byte[checkRange(from, to)];
        buffer.get(from, copy, 0, copy.length);
        return copy;
    }

    /** A copy of all elements; Python's {@code arr.raw}. */
    public byte[] toArray() {
        return copyOfRange(0, length());
    }

    /** Every byte (Python's {@code raw}). */
    public byte[] raw() {
        return toArray();
    }

    /** Overwrites the first {@code bytes.length} bytes (Python's {@code raw = ...}); longer than the array: {@link IllegalArgumentException}. */
    public void setRaw(byte[] bytes) {
        if (bytes.length > length()) {
            throw new IllegalArgumentException("byte string too long: " + bytes.length + " bytes for " + length());
        }
        set(0, bytes);
    }

    /** The bytes before the first NUL (Python's {@code value} of a {@code c_char} array). */
    public byte[] valueBytes() {
        byte[] all = toArray();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == 0) {
                return Arrays.copyOf(all, i);
            }
        }
        return all;
    }

    /** {@link #valueBytes()} decoded as UTF-8. */
    public String value() {
        return new String(valueBytes(), StandardCharsets.UTF_8);
    }

    /**
     * Python's {@code value = bytes}: writes {@code bytes} and, if there is room, a NUL after them;
     * longer than the array: {@link IllegalArgumentException} ("bytes too long"), nothing written.
     */
    public void setValue(byte[] bytes) {
        if (bytes.length > length()) {
            throw new IllegalArgumentException("bytes too long (" + bytes.length + ", maximum length " + length() + ")");
        }
        set(0, bytes);
        if (bytes.length < length()) {
            set(bytes.length, (byte) 0);
        }
    }

    /** {@link #setValue(byte[])} with {@code text} encoded as UTF-8. */
    public void setValue(String text) {
        setValue(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "SharedByteArray[length=" + length() + (isClosed() ? ", closed]" : "]");
    }

    private Object readResolve() throws ObjectStreamException {
        return new SharedByteArray(segment, lockOrNull(), length());
    }
}
