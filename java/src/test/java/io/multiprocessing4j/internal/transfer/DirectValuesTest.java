package io.multiprocessing4j.internal.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.queue.MessageCodec;
import io.multiprocessing4j.pool.Pool;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one direct encoding of values: every type and its edge values arrive exactly (alone, and
 * through each user: a connection, a queue's codec, a pool), and no malformed input gets past the
 * reader as anything but a {@link StreamCorruptedException} (or the user's own documented error).
 */
class DirectValuesTest {
    private static final double NAN_WITH_PAYLOAD = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
    private static final float FLOAT_NAN_WITH_PAYLOAD = Float.intBitsToFloat(0x7fc0_1234);

    /** Every directly encoded type, each with the values most likely to go wrong. */
    private static List<Object> values() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        return Arrays.asList(
                null, true, false,
                (byte) 0, Byte.MIN_VALUE, Byte.MAX_VALUE,
                (short) 0, Short.MIN_VALUE, Short.MAX_VALUE,
                '\0', 'A', '\u00ff', '\u0100', 'λ', '\ud800', '\uffff',
                0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
                0L, Long.MIN_VALUE, Long.MAX_VALUE,
                0f, -0f, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, FLOAT_NAN_WITH_PAYLOAD,
                0d, -0d, Double.MIN_VALUE, Double.POSITIVE_INFINITY, NAN_WITH_PAYLOAD,
                "", "a", "plain ASCII", "Latin-1: é ÿ \u0000", "Grüße, 世界", "ends outside Latin-1: \u0100",
                "\ud800", "lone low \udc00 in the middle", "high at the end \ud83d", "a pair: \ud83d\ude00",
                new byte[0], allBytes,
                new int[0], new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE},
                new long[0], new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE},
                new double[0], new double[] {NAN_WITH_PAYLOAD, Double.NaN, -0d, Double.NEGATIVE_INFINITY, Math.PI});
    }

    private static byte[] encode(Object value) {
        ExactSizeSink sink = new ExactSizeSink();
        assertTrue(DirectValues.write(value, sink), () -> "no direct encoding for " + describe(value));
        return sink.toArray();
    }

    /** Equal, of the same class, and bit for bit where equals() would not see it (NaN payloads, -0). */
    private static void assertIdentical(Object expected, Object actual) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        if (expected instanceof List && actual instanceof List) {
            // (any list: a pool's map answers in a list of its own)
            List<?> expectedList = (List<?>) expected;
            List<?> actualList = (List<?>) actual;
            assertEquals(expectedList.size(), actualList.size());
            for (int i = 0; i < expectedList.size(); i++) {
                assertIdentical(expectedList.get(i), actualList.get(i));
            }
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), () -> "for " + describe(expected));
        if (expected instanceof Double) {
            assertEquals(Double.doubleToRawLongBits((Double) expected), Double.doubleToRawLongBits((Double) actual));
        } else if (expected instanceof Float) {
            assertEquals(Float.floatToRawIntBits((Float) expected), Float.floatToRawIntBits((Float) actual));
        } else if (expected instanceof double[]) {
            assertArrayEquals(rawBits((double[]) expected), rawBits((double[]) actual));
        } else if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual);
        } else if (expected instanceof int[]) {
            assertArrayEquals((int[]) expected, (int[]) actual);
        } else if (expected instanceof long[]) {
            assertArrayEquals((long[]) expected, (long[]) actual);
        } else {
            assertEquals(expected, actual);
        }
    }

    private static long[] rawBits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    @Test
    void everyTypeAndEdgeValueRoundTrips() throws Exception {
        for (Object value : values()) {
            byte[] encoded = encode(value);
            assertIdentical(value, DirectValues.readMessage(encoded, 0, encoded.length));
        }
    }

    @Test
    void valuesReadInSequenceFromOneBuffer() throws Exception {
        ExactSizeSink sink = new ExactSizeSink(); // each value after the first is written at a position > 0
        for (Object value : values()) {
            assertTrue(DirectValues.write(value, sink));
        }
        byte[] all = sink.toArray();
        ByteCursor in = new ByteCursor(all, 0, all.length);
        for (Object value : values()) {
            assertIdentical(value, DirectValues.read(in.getByte(), in));
        }
        assertFalse(in.hasRemaining());
    }

    @Test
    void stringsTakeTheirCompactFormWhenTheyCan() {
        assertEquals(DirectValues.LATIN1, encode("é\u00ff")[0]);
        assertEquals(5 + 2, encode("é\u00ff").length);
        assertEquals(DirectValues.UTF16, encode("é\u0100")[0]);
        assertEquals(5 + 2 * 2, encode("é\u0100").length);
        assertEquals(DirectValues.UTF16, encode("\ud800")[0]);
    }

    @Test
    void oneValueIsWrittenIntoAnArrayOfExactlyItsSize() {
        for (Object value : values()) {
            ExactSizeSink sink = new ExactSizeSink();
            DirectValues.write(value, sink);
            byte[] written = sink.reserve(0); // the array written into
            assertSame(written, sink.toArray(), () -> "copied to trim it: " + describe(value));
        }
    }

    @Test
    void otherTypesAndValuesOverTheLimitAreLeftToTheSerializer() {
        ExactSizeSink sink = new ExactSizeSink();
        assertFalse(DirectValues.write(new ArrayList<>(), sink));
        assertFalse(DirectValues.write(new Object(), sink));
        assertFalse(DirectValues.write(new float[1], sink));
        assertFalse(DirectValues.write(new byte[DirectValues.DIRECT_LIMIT + 1], sink));
        assertTrue(DirectValues.write(new byte[DirectValues.DIRECT_LIMIT], sink));
        assertEquals(5 + DirectValues.DIRECT_LIMIT, sink.toArray().length, "nothing written by the refusals");
    }

    @Test
    void throughAConnection() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            for (Object value : values()) {
                pipe.first().send(value);
                assertIdentical(value, pipe.second().recv());
            }
        }
    }

    @Test
    void throughAQueuesCodecInArraysOfExactlyTheirSize() {
        for (Object value : values()) {
            byte[] message = MessageCodec.encode(value);
            assertArrayEquals(encode(value), message, () -> "the direct encoding of " + describe(value));
            assertIdentical(value, MessageCodec.decode(message));
        }
    }

    static Object same(Object value) {
        return value;
    }

    @Test
    void throughAPool() throws Exception {
        List<Object> values = values();
        try (Pool pool = new Pool(1)) {
            assertIdentical(values, pool.map(DirectValuesTest::same, values, 7)); // a chunk's items and results
            assertIdentical(new ArrayList<>(values), pool.apply(DirectValuesTest::same, new ArrayList<>(values)));
        }
    }

    /** Every proper prefix of an encoding (each value's size follows from its tag and length), and one byte more. */
    @Test
    void truncatedOrOverlongEncodingsAreCorrupt() throws Exception {
        for (Object value : values()) {
            byte[] encoded = encode(value);
            // embedded among other bytes, so that a read past the slice would find some
            byte[] around = new byte[encoded.length + 20];
            Arrays.fill(around, (byte) 'N');
            System.arraycopy(encoded, 0, around, 10, encoded.length);
            for (int cut = 0; cut < encoded.length; cut++) {
                int length = cut;
                assertThrows(StreamCorruptedException.class, () -> DirectValues.readMessage(around, 10, length),
                        () -> describe(value) + " cut to " + length + " bytes");
                byte[] prefix = Arrays.copyOf(encoded, cut);
                assertThrows(IllegalStateException.class, () -> MessageCodec.decode(prefix), "a queue's error");
            }
            assertThrows(StreamCorruptedException.class,
                    () -> DirectValues.readMessage(around, 10, encoded.length + 1));
        }
    }

    @Test
    void lengthsBeyondWhatIsLeftAreCorruptNotAllocated() {
        for (byte tag : new byte[] {DirectValues.LATIN1, DirectValues.UTF16, DirectValues.BYTES, DirectValues.INTS,
                DirectValues.LONGS, DirectValues.DOUBLES}) {
            for (int length : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30, 1 << 29, 3}) {
                byte[] message = new byte[9];
                message[0] = tag;
                BigEndian.INTS.set(message, 1, length);
                assertThrows(StreamCorruptedException.class, () -> DirectValues.readMessage(message, 0, 9),
                        () -> (char) tag + " of length " + length);
            }
        }
        StreamCorruptedException unknown = assertThrows(StreamCorruptedException.class,
                () -> DirectValues.readMessage(new byte[] {DirectValues.SERIALIZED, 0}, 0, 2));
        assertTrue(unknown.getMessage().contains("unknown message type 0x53"), unknown.getMessage());
    }

    /** Random bytes, half of them starting with a real tag: a value or a StreamCorruptedException, nothing else. */
    @Test
    void randomBytesGiveAValueOrAStreamCorruptedException() {
        byte[] tags = "NTFbhcilfdsuBILDSA?\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Random random = new Random(20240611);
        int values = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[random.nextInt(24)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = tags[random.nextInt(tags.length)];
            }
            if (bytes.length > 4 && random.nextBoolean()) {
                bytes[1] = bytes[2] = bytes[3] = 0; // a small length, so that some arrays and strings fit
            }
            try {
                DirectValues.readMessage(bytes, 0, bytes.length);
                values++;
            } catch (StreamCorruptedException expected) {
                // the one acceptable failure
            } catch (RuntimeException wrong) {
                fail("bytes " + Arrays.toString(bytes) + " gave " + wrong, wrong);
            }
            if (bytes.length > 0 && bytes[0] != DirectValues.SERIALIZED) {
                try {
                    MessageCodec.decode(bytes);
                } catch (IllegalStateException expected) {
                    // the queue's documented failure
                }
            }
        }
        assertTrue(values > 1000, "the fuzzing reached valid values too: " + values);
    }

    @Test
    void aConnectionRefusesCorruptValuesAndGoesOn() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection sender = pipe.first();
            Connection receiver = pipe.second();
            for (Object value : List.of(7, Long.MIN_VALUE, "Grüße, 世界", new double[] {NAN_WITH_PAYLOAD})) {
                byte[] encoded = encode(value);
                for (int cut = 1; cut < encoded.length; cut++) {
                    sender.sendBytes(encoded, 0, cut);
                    assertThrows(StreamCorruptedException.class, receiver::recv);
                }
                sender.sendBytes(Arrays.copyOf(encoded, encoded.length + 1));
                assertThrows(StreamCorruptedException.class, receiver::recv);
                sender.sendBytes(encoded);
                assertIdentical(value, receiver.recv());
            }
        }
    }
}
