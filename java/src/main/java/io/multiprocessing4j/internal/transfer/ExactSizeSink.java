package io.multiprocessing4j.internal.transfer;

import java.util.Arrays;

/**
 * A sink whose array is made to measure: the first reservation (at position 0) allocates exactly
 * what it asks, and later ones grow it by doubling. A direct value reserves all its bytes at once,
 * so the array that one value is written into is exactly its encoding, with no copy to trim it (a
 * string found not to be Latin-1 reserves again, larger, still at 0: that too is exact). Which is
 * what a queue wants: it keeps each message as an array of exactly its length.
 */
public final class ExactSizeSink implements ByteSink {
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private byte[] array = EMPTY;
    private int position;

    @Override
    public byte[] reserve(int count) {
        long needed = (long) position + count;
        if (needed > array.length) {
            if (needed > MAX_ARRAY) {
                throw new OutOfMemoryError("an encoding cannot exceed " + MAX_ARRAY + " bytes");
            }
            array = position == 0 ? new byte[count]
                    : Arrays.copyOf(array, (int) Math.min(MAX_ARRAY, Math.max(needed, array.length * 2L)));
        }
        return array;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public void advance(int count) {
        position += count;
    }

    /** What was written: the array itself when it is exactly full, as it is after one value. */
    public byte[] toArray() {
        return position == array.length ? array : Arrays.copyOf(array, position);
    }
}
