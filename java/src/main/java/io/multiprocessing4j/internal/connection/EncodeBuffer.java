package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.transfer.ByteSink;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where an outgoing message is encoded: a reusable array with room for the frame header in front
 * of the payload, so that header and payload leave in one native call. The array grows by
 * doubling up to {@link #SEGMENT_SIZE}; a larger payload continues in further segments of about
 * that size, which are sent one after the other. Growing one array further would copy the whole
 * payload at each doubling and briefly hold it three times over (the old array, the new one and
 * the object being encoded), which is what exhausts a heap for a message of a gigabyte or more;
 * and one Java array cannot hold more than 2 GiB anyway.
 */
final class EncodeBuffer extends OutputStream implements ByteSink {
    static final int HEADER_ROOM = FrameFormat.MAX_HEADER;
    private static final int INITIAL_SIZE = 512;
    /** Beyond this a buffer is dropped after its message, so that one big message does not pin memory. */
    private static final int KEEP_LIMIT = 1 << 20;
    /** The largest the array grows to by doubling; larger payloads take further segments. */
    static final int SEGMENT_SIZE = 64 << 20;
    /** The most one write asks the buffer to grow by at once (what the sender holds is its own data). */
    private static final int GROWTH_STEP = 16 << 20;

    private byte[] array = new byte[INITIAL_SIZE];
    private int position = HEADER_ROOM;
    /** Full segments before {@link #array}; the first of them has the header room. Usually empty. */
    private final List<byte[]> fullSegments = new ArrayList<>();
    private final List<Integer> fullUsed = new ArrayList<>();
    private long fullLength;

    void reset() {
        if (array.length > KEEP_LIMIT || !fullSegments.isEmpty()) {
            array = new byte[INITIAL_SIZE];
        }
        fullSegments.clear();
        fullUsed.clear();
        fullLength = 0;
        position = HEADER_ROOM;
    }

    /** Payload bytes written so far. */
    long payloadLength() {
        return fullLength + position - (fullSegments.isEmpty() ? HEADER_ROOM : 0);
    }

    /** Makes room for {@code count} more bytes in the current array (perhaps a new segment) and returns it. */
    @Override
    public byte[] reserve(int count) {
        ensure(count);
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

    @Override
    public void write(int b) {
        ensure(1);
        array[position++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        while (length > 0) {
            ensure(Math.min(length, GROWTH_STEP));
            int count = Math.min(length, array.length - position);
            System.arraycopy(source, offset, array, position, count);
            position += count;
            offset += count;
            length -= count;
        }
    }

    /**
     * Makes room for {@code count} more bytes in the current array: grows it by doubling up to
     * {@link #SEGMENT_SIZE}, and beyond that closes it as a segment and continues in a new one
     * (as large as {@code count} if that is more, for a caller that needs its bytes in one array).
     */
    private void ensure(int count) {
        long needed = (long) position + count;
        if (needed <= array.length) {
            return;
        }
        if (needed <= SEGMENT_SIZE) {
            array = Arrays.copyOf(array, (int) Math.max(needed, Math.min(SEGMENT_SIZE, array.length * 2L)));
            return;
        }
        if (position == (fullSegments.isEmpty() ? HEADER_ROOM : 0)) {
            // nothing in this array yet: replace it rather than close an empty segment
            array = new byte[Math.addExact(count, position)];
            return;
        }
        fullSegments.add(array);
        fullUsed.add(position);
        fullLength += position - (fullSegments.size() == 1 ? HEADER_ROOM : 0);
        array = new byte[Math.max(count, SEGMENT_SIZE)];
        position = 0;
    }

    /** Everything written, for sending: the segments in order, with their used lengths. */
    List<byte[]> segments() {
        List<byte[]> all = new ArrayList<>(fullSegments);
        all.add(array);
        return all;
    }

    /** The used length of segment {@code i} of {@link #segments()}. */
    int usedLength(int i) {
        return i < fullSegments.size() ? fullUsed.get(i) : position;
    }

    boolean isSegmented() {
        return !fullSegments.isEmpty();
    }

    /** The first segment (the header room is at its start). */
    byte[] firstArray() {
        return fullSegments.isEmpty() ? array : fullSegments.get(0);
    }
}
