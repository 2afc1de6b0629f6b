package io.multiprocessing4j.internal.pool;

import java.io.StreamCorruptedException;

/**
 * Reads what a {@link WireBuffer} wrote, from a slice of an array; every read is checked against
 * the slice's end, so a malformed message is a {@link StreamCorruptedException}, never a wrong
 * value or an exception from deep inside.
 */
final class WireReader {
    final byte[] array;
    private int position;
    private final int limit;

    WireReader(byte[] array, int offset, int length) {
        this.array = array;
        this.position = offset;
        this.limit = offset + length;
    }

    int position() {
        return position;
    }

    int remaining() {
        return limit - position;
    }

    boolean hasRemaining() {
        return position < limit;
    }

    /** Skips {@code count} bytes and returns where they began. */
    int skip(int count) throws StreamCorruptedException {
        require(count);
        int at = position;
        position += count;
        return at;
    }

    byte getByte() throws StreamCorruptedException {
        require(1);
        return array[position++];
    }

    int getInt() throws StreamCorruptedException {
        require(4);
        int value = (int) WireBuffer.INTS.get(array, position);
        position += 4;
        return value;
    }

    long getLong() throws StreamCorruptedException {
        require(8);
        long value = (long) WireBuffer.LONGS.get(array, position);
        position += 8;
        return value;
    }

    /** A length that must fit in what is left, counted in elements of {@code elementSize} bytes. */
    int getLength(int elementSize) throws StreamCorruptedException {
        int length = getInt();
        if (length < 0 || (long) length * elementSize > remaining()) {
            throw new StreamCorruptedException("malformed pool message: a length of " + length
                    + " elements of " + elementSize + " bytes with " + remaining() + " bytes left");
        }
        return length;
    }

    private void require(int count) throws StreamCorruptedException {
        if (count < 0 || limit - position < count) {
            throw new StreamCorruptedException("malformed pool message: " + count + " more bytes expected, "
                    + (limit - position) + " left");
        }
    }
}
