package io.multiprocessing4j.internal.transfer;

import java.util.Arrays;

/**
 * A {@link ByteSink} that makes one message's own array. While nothing is written, room is made
 * exactly as asked, so a value encoded in one piece (which every direct value is) ends up in an
 * array of its exact size, taken as it is: no copy at the end.
 */
public final class ByteArraySink implements ByteSink {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final byte[] EMPTY = new byte[0];

    private byte[] array = EMPTY;
    private int position;

    @Override
    public byte[] reserve(int count) {
        long needed = (long) position + count;
        if (needed > array.length) {
            if (needed > MAX_ARRAY) {
                throw new OutOfMemoryError("a message cannot exceed " + MAX_ARRAY + " bytes");
            }
            array = position == 0 ? new byte[(int) needed]
                    : Arrays.copyOf(array, (int) Math.min(MAX_ARRAY, Math.max(needed, 2L * array.length)));
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

    /** What was written: the array itself when it is exactly full. */
    public byte[] toByteArray() {
        return position == array.length ? array : Arrays.copyOf(array, position);
    }
}
