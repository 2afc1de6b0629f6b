package io.multiprocessing4j.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An encoded payload larger than one segment is laid out over several, in order, with nothing
 * lost or repeated at the seams, whatever mix of writes produced it.
 */
class EncodeBufferTest {
    /** The byte at {@code index} of the test payload: varied, and cheap to recompute for checking. */
    private static byte expected(long index) {
        return (byte) (index * 31 + (index >>> 11));
    }

    @Test
    void aPayloadOverOneSegmentIsSplitIntoSegmentsThatReassembleExactly() {
        long total = 2L * EncodeBuffer.SEGMENT_SIZE + 12_345;
        EncodeBuffer buffer = new EncodeBuffer();
        Random random = new Random(7);
        long written = 0;
        byte[] chunk = new byte[3 << 20];
        while (written < total) {
            int kind = random.nextInt(3);
            int size = (int) Math.min(total - written, 1 + random.nextInt(chunk.length));
            if (kind == 0) {
                buffer.write(expected(written));
                written++;
            } else if (kind == 1) {
                for (int i = 0; i < size; i++) {
                    chunk[i] = expected(written + i);
                }
                buffer.write(chunk, 0, size);
                written += size;
            } else {
                int small = Math.min(size, 64);
                byte[] array = buffer.reserve(small);
                for (int i = 0; i < small; i++) {
                    array[buffer.position() + i] = expected(written + i);
                }
                buffer.advance(small);
                written += small;
            }
        }

        assertEquals(total, buffer.payloadLength());
        assertTrue(buffer.isSegmented());
        List<byte[]> segments = buffer.segments();
        assertTrue(segments.size() >= 3, "segments: " + segments.size());
        long index = 0;
        for (int s = 0; s < segments.size(); s++) {
            byte[] segment = segments.get(s);
            assertTrue(segment.length <= EncodeBuffer.SEGMENT_SIZE, "segment " + s + " holds " + segment.length);
            int from = s == 0 ? EncodeBuffer.HEADER_ROOM : 0;
            for (int i = from; i < buffer.usedLength(s); i++, index++) {
                if (segment[i] != expected(index)) {
                    throw new AssertionError("byte " + index + " (segment " + s + ", offset " + i + ") differs");
                }
            }
        }
        assertEquals(total, index);

        buffer.reset();
        assertFalse(buffer.isSegmented());
        assertEquals(0, buffer.payloadLength());
        assertTrue(buffer.firstArray().length < 1 << 20, "a reset buffer lets the big arrays go");
    }

    @Test
    void oneReservationLargerThanASegmentGetsOneArray() {
        EncodeBuffer buffer = new EncodeBuffer();
        buffer.write(1);
        int large = EncodeBuffer.SEGMENT_SIZE + 100;
        byte[] array = buffer.reserve(large);
        assertTrue(array.length - buffer.position() >= large);
        buffer.advance(large);
        assertEquals(1L + large, buffer.payloadLength());
    }
}
