package io.multiprocessing4j.internal.transfer;

import java.io.StreamCorruptedException;
import java.util.Objects;

/**
 * Reads big-endian numbers and slices from a slice of an array. Every read is checked against the
 * slice's end, and every length against what is left, so malformed input is a
 * {@link StreamCorruptedException}: never an exception from deep inside, a read past the slice into
 * a neighbour's bytes, or an allocation sized by a corrupt length.
 */
public final class ByteCursor {
    private final byte[] array;
    private int position;
    private final int limit;

    public ByteCursor(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        this.array = array;
        this.position = offset;
        this.limit = offset + length;
    }

    /** The whole array (its bytes from {@link #skip}'s result on are those skipped). */
    public byte[] array() {
        return array;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return limit - position;
    }

    public boolean hasRemaining() {
        return position < limit;
    }

    /** Skips {@code count} bytes and returns where they began in {@link #array()}. */
    public int skip(int count) throws StreamCorruptedException {
        require(count);
        int at = position;
        position += count;
        return at;
    }

    public byte getByte() throws StreamCorruptedException {
        require(1);
        return array[position++];
    }

    public int getInt() throws StreamCorruptedException {
        return (int) BigEndian.INTS.get(array, skip(4));
    }

    public long getLong() throws StreamCorruptedException {
        return (long) BigEndian.LONGS.get(array, skip(8));
    }

    /** An element count that must fit in what is left, for elements of {@code elementSize} bytes. */
    public int getLength(int elementSize) throws StreamCorruptedException {
        int length = getInt();
        if (length < 0 || (long) length * elementSize > remaining()) {
            throw new StreamCorruptedException("malformed message: a length of " + length + " elements of "
                    + elementSize + " bytes with " + remaining() + " bytes left");
        }
        return length;
    }

    private void require(int count) throws StreamCorruptedException {
        if (count < 0 || limit - position < count) {
            throw new StreamCorruptedException("malformed message: " + count + " more bytes expected, "
                    + (limit - position) + " left");
        }
    }
}
