package io.multiprocessing4j.internal.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.queue.MessageCodec;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one encoding of direct values that connections, queues and the pool share: every type
 * round-trips exactly, nothing else is taken, and no byte sequence decodes into anything but a
 * value or a {@link StreamCorruptedException}.
 */
class DirectValuesTest {
    /** A value with a NaN payload that a canonicalizing encoder would lose. */
    private static final double ODD_NAN = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);

    static List<Object> samples() {
        List<Object> values = new ArrayList<>(Arrays.asList(
                null, true, false,
                (byte) -128, (short) -32768, 'x', '\uffff',
                0, -1, Integer.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
                1.5f, Float.NaN, -0.0, Double.MIN_VALUE, ODD_NAN,
                "", "ascii", "latin-1 é ÿ", "beyond Latin-1: π ∑ 中文", "a lone surrogate \ud800 here", "\udc00",
                new byte[0], new byte[] {1, -1, 127, -128},
                new int[0], new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE},
                new long[0], new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE},
                new double[0], new double[] {ODD_NAN, Double.NEGATIVE_INFINITY, -0.0}));
        return values;
    }

    @Test
    void everyDirectTypeRoundTripsExactly() throws Exception {
        for (Object value : samples()) {
            ByteArraySink sink = new ByteArraySink();
            assertTrue(DirectValues.write(value, sink), "not written directly: " + describe(value));
            byte[] bytes = sink.toByteArray();
            assertTrue(DirectValues.isDirect(bytes[0]));
            ByteCursor in = new ByteCursor(bytes, 1, bytes.length - 1);
            assertSameValue(value, DirectValues.read(bytes[0], in));
            assertFalse(in.hasRemaining(), "bytes left after " + describe(value));
        }
    }

    @Test
    void aQueueMessageCarriesEveryDirectTypeExactly() {
        for (Object value : samples()) {
            byte[] message = MessageCodec.encode(value);
            assertTrue(DirectValues.isDirect(message[0]), "serialized: " + describe(value));
            assertSameValue(value, MessageCodec.decode(message));
        }
    }

    @Test
    void aConnectionCarriesEveryDirectTypeExactly() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            for (Object value : samples()) {
                pipe.first().send(value);
                assertSameValue(value, pipe.second().recv());
            }
        }
    }

    @Test
    void valuesFollowEachOtherInOneBuffer() throws Exception {
        ByteArraySink sink = new ByteArraySink();
        List<Object> values = samples();
        for (Object value : values) {
            assertTrue(DirectValues.write(value, sink));
        }
        byte[] bytes = sink.toByteArray();
        ByteCursor in = new ByteCursor(bytes, 0, bytes.length);
        for (Object value : values) {
            assertSameValue(value, DirectValues.read(in.getByte(), in));
        }
        assertFalse(in.hasRemaining());
    }

    @Test
    void aSmallValueIsEncodedIntoAnArrayOfItsExactSize() {
        ByteArraySink sink = new ByteArraySink();
        DirectValues.write(42, sink);
        assertEquals(5, sink.toByteArray().length);
        ByteArraySink text = new ByteArraySink();
        DirectValues.write("π", text); // starts as Latin-1, then starts over as UTF-16
        assertEquals(1 + 4 + 2, text.toByteArray().length);
    }

    @Test
    void otherTypesAndSubclassesAreLeftToTheSerializer() {
        ByteArraySink sink = new ByteArraySink();
        assertFalse(DirectValues.write(new ArrayList<>(), sink));
        assertFalse(DirectValues.write(new Object(), sink));
        assertFalse(DirectValues.write(new char[] {'a'}, sink));
        assertFalse(DirectValues.write(new StringBuilder("text"), sink));
        assertEquals(0, sink.position(), "a refused value wrote nothing");
        assertFalse(DirectValues.isDirect(DirectValues.SERIALIZED));
    }

    @Test
    void arraysOverTheLimitAreLeftToTheSerializer() {
        ByteArraySink sink = new ByteArraySink();
        assertFalse(DirectValues.write(new byte[DirectValues.DIRECT_LIMIT + 1], sink));
        assertFalse(DirectValues.write(new long[DirectValues.DIRECT_LIMIT / 8 + 1], sink));
        assertEquals(0, sink.position());
    }

    @Test
    void everyTruncationOfAnEncodingIsRefused() {
        for (Object value : samples()) {
            ByteArraySink sink = new ByteArraySink();
            DirectValues.write(value, sink);
            byte[] bytes = sink.toByteArray();
            for (int cut = 1; cut < bytes.length; cut++) {
                ByteCursor in = new ByteCursor(bytes, 1, cut - 1);
                assertThrows(StreamCorruptedException.class, () -> DirectValues.read(bytes[0], in),
                        describe(value) + " cut to " + cut + " bytes");
            }
        }
    }

    @Test
    void aForgedLengthIsRefusedBeforeAnythingIsAllocatedForIt() {
        byte[] forged = {DirectValues.LONGS, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3};
        StreamCorruptedException e = assertThrows(StreamCorruptedException.class,
                () -> DirectValues.read(forged[0], new ByteCursor(forged, 1, forged.length - 1)));
        assertTrue(e.getMessage().contains("length of 2147483647"), e.getMessage());
        byte[] negative = {DirectValues.BYTES, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe};
        assertThrows(StreamCorruptedException.class,
                () -> DirectValues.read(negative[0], new ByteCursor(negative, 1, negative.length - 1)));
    }

    @Test
    void randomBytesGiveAValueOrAStreamCorruptedExceptionAndNothingElse() {
        Random random = new Random(20261125);
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(24)];
            random.nextBytes(bytes);
            if (random.nextBoolean()) {
                bytes[0] = "NTFbhcilfdsuBILD".getBytes()[random.nextInt(16)]; // mostly known tags
            }
            if (bytes.length >= 5 && random.nextInt(4) == 0) {
                bytes[1] = 0;
                bytes[2] = 0;
                bytes[3] = 0; // a small count, so that whole values come out too
            }
            ByteCursor in = new ByteCursor(bytes, 1, bytes.length - 1);
            try {
                DirectValues.read(bytes[0], in);
            } catch (StreamCorruptedException expected) {
                // refused, as it should be when the bytes hold no value
            } catch (RuntimeException e) {
                fail("bytes " + Arrays.toString(bytes) + " threw " + e, e);
            }
        }
    }

    private static void assertSameValue(Object expected, Object actual) {
        if (expected == null) {
            assertSame(null, actual);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), describe(expected));
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual);
        } else if (expected instanceof int[]) {
            assertArrayEquals((int[]) expected, (int[]) actual);
        } else if (expected instanceof long[]) {
            assertArrayEquals((long[]) expected, (long[]) actual);
        } else if (expected instanceof double[]) {
            double[] want = (double[]) expected;
            double[] got = (double[]) actual;
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), "element " + i);
            }
        } else if (expected instanceof Double) {
            assertEquals(Double.doubleToRawLongBits((Double) expected), Double.doubleToRawLongBits((Double) actual));
        } else if (expected instanceof Float) {
            assertEquals(Float.floatToRawIntBits((Float) expected), Float.floatToRawIntBits((Float) actual));
        } else {
            assertEquals(expected, actual);
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.getClass().isArray() ? value.getClass().getSimpleName() : String.valueOf(value);
        return value.getClass().getSimpleName() + " " + text;
    }
}
