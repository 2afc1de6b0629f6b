package io.multiprocessing4j.internal.transfer;

import java.io.StreamCorruptedException;

/**
 * Reads a slice of a byte array front to back. Every read is checked against the slice's end, so
 * bytes from a broken or hostile peer give a {@link StreamCorruptedException}, never a wrong value,
 * an exception from deep inside, or an allocation larger than what actually arrived.
 */
public final class ByteCursor {
    private final byte[] array;
    private int position;
    private final int limit;

    public ByteCursor(byte[] array, int offset, int length) {
        this.array = array;
        this.position = offset;
        this.limit = offset + length;
    }

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

    /** Skips {@code count} bytes and returns where they began (to read them in place). */
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
        return (int) ByteViews.INTS.get(array, skip(4));
    }

    public long getLong() throws StreamCorruptedException {
        return (long) ByteViews.LONGS.get(array, skip(8));
    }

    /**
     * An element count that must fit in what is left, counted in elements of {@code elementSize}
     * bytes: a forged count is refused before anything is allocated for it.
     */
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
