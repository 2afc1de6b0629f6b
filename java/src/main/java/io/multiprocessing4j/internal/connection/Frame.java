package io.multiprocessing4j.internal.connection;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One received message: its payload and the fds that came with it (owned by the receiver).
 *
 * <p>A payload is a slice of one array, which may be the reader's own buffer (then it is valid
 * only until the next read on the connection); a payload too large for one Java array (over 2 GiB)
 * comes as a list of segments instead.
 */
final class Frame {
    static final int[] NO_FDS = new int[0];

    final byte[] array;
    final int offset;
    final int length;
    final boolean sharedBuffer;
    final List<byte[]> segments;
    final long hugeLength;
    final int[] fds;

    private Frame(byte[] array, int offset, int length, boolean sharedBuffer, List<byte[]> segments,
                  long hugeLength, int[] fds) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.sharedBuffer = sharedBuffer;
        this.segments = segments;
        this.hugeLength = hugeLength;
        this.fds = fds;
    }

    static Frame inBuffer(byte[] buffer, int offset, int length, int[] fds) {
        return new Frame(buffer, offset, length, true, null, length, fds);
    }

    static Frame ofArray(byte[] array, int[] fds) {
        return new Frame(array, 0, array.length, false, null, array.length, fds);
    }

    /** A payload already placed in the caller's array. */
    static Frame inArray(byte[] array, int offset, int length, int[] fds) {
        return new Frame(array, offset, length, false, null, length, fds);
    }

    static Frame ofSegments(List<byte[]> segments, long length, int[] fds) {
        return new Frame(null, 0, 0, false, segments, length, fds);
    }

    boolean isHuge() {
        return segments != null;
    }

    long totalLength() {
        return isHuge() ? hugeLength : length;
    }

    /** The payload as an array of its own (a copy unless the frame already owns exactly that). */
    byte[] toArray() {
        if (!sharedBuffer && offset == 0 && array.length == length) {
            return array;
        }
        byte[] copy = new byte[length];
        System.arraycopy(array, offset, copy, 0, length);
        return copy;
    }

    /** The payload as a stream, from {@code skip} bytes in. */
    InputStream stream(int skip) {
        if (!isHuge()) {
            return new ByteArrayInputStream(array, offset + skip, length - skip);
        }
        List<InputStream> parts = new ArrayList<>();
        long toSkip = skip;
        for (byte[] segment : segments) {
            int from = (int) Math.min(toSkip, segment.length);
            toSkip -= from;
            parts.add(new ByteArrayInputStream(segment, from, segment.length - from));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** The payload's first byte (callers check that there is one). */
    byte firstByte() {
        return isHuge() ? segments.get(0)[0] : array[offset];
    }
}
