package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.transfer.BigEndian;
import io.multiprocessing4j.internal.transfer.ByteSink;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that pool messages are encoded into: big-endian numbers, raw bytes, and
 * (as an {@link OutputStream}) whatever Java serialization writes. Reused between messages by the
 * thread that owns it; {@link #reset()} drops a buffer that grew very large, so that one huge
 * message does not pin its memory.
 */
final class WireBuffer extends OutputStream implements ByteSink {
    private static final int KEEP_LIMIT = 4 << 20;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private byte[] array;
    private int position;

    WireBuffer(int initialSize) {
        array = new byte[initialSize];
    }

    byte[] array() {
        return array;
    }

    @Override
    public int position() {
        return position;
    }

    /** Forgets everything from {@code mark} on (to undo a value that failed to encode). */
    void truncate(int mark) {
        position = mark;
    }

    void reset() {
        if (array.length > KEEP_LIMIT) {
            array = new byte[1024];
        }
        position = 0;
    }

    byte[] toArray() {
        return Arrays.copyOf(array, position);
    }

    /** Makes room for {@code count} more bytes and returns the array (write at {@link #position()}). */
    @Override
    public byte[] reserve(int count) {
        long needed = (long) position + count;
        if (needed > array.length) {
            if (needed > MAX_ARRAY) {
                throw new OutOfMemoryError("a pool message cannot exceed " + MAX_ARRAY + " bytes");
            }
            array = Arrays.copyOf(array, (int) Math.min(MAX_ARRAY, Math.max(needed, array.length * 2L)));
        }
        return array;
    }

    @Override
    public void advance(int count) {
        position += count;
    }

    void putByte(int value) {
        reserve(1)[position++] = (byte) value;
    }

    void putInt(int value) {
        BigEndian.INTS.set(reserve(4), position, value);
        position += 4;
    }

    void putLong(long value) {
        BigEndian.LONGS.set(reserve(8), position, value);
        position += 8;
    }

    /** Overwrites the int at {@code at}, already written. */
    void patchInt(int at, int value) {
        BigEndian.INTS.set(array, at, value);
    }

    /** Overwrites the long at {@code at}, already written. */
    void patchLong(int at, long value) {
        BigEndian.LONGS.set(array, at, value);
    }

    void putBytes(byte[] source, int offset, int length) {
        System.arraycopy(source, offset, reserve(length), position, length);
        position += length;
    }

    @Override
    public void write(int b) {
        putByte(b);
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        putBytes(source, offset, length);
    }
}
