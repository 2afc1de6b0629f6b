package io.multiprocessing4j.hazelcast.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.transfer.DirectValues;
import java.io.NotSerializableException;
import java.io.StreamCorruptedException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire form of a chunk's items and results: every value comes back equal and of its own
 * class, whether it travelled directly or by Java serialization; the direct form is the small one;
 * a value that cannot be serialized is named.
 */
class ValuesTest {

    private static List<Object> roundTrip(List<?> values) throws Exception {
        return Values.decode(Values.encode(values));
    }

    @Test
    void commonValuesTravelTaggedAndComeBackEqualAndOfTheirClass() throws Exception {
        ArrayList<Object> nested = new ArrayList<>(Arrays.asList(1, "two", null));
        List<Object> values = Arrays.asList(null, true, false, 7, -1L, 2.5, "", "naïve ✓",
                Integer.MIN_VALUE, Long.MAX_VALUE, Double.NaN, nested, new Object[] {3, "x", new Object[] {4L}});
        List<Object> back = roundTrip(values);
        assertEquals(values.size(), back.size());
        for (int i = 0; i < values.size(); i++) {
            Object sent = values.get(i);
            Object got = back.get(i);
            if (sent == null) {
                assertNull(got);
            } else if (sent instanceof Object[]) {
                assertSame(Object[].class, got.getClass());
                assertEquals(Arrays.deepToString((Object[]) sent), Arrays.deepToString((Object[]) got));
            } else {
                assertSame(sent.getClass(), got.getClass(), "item " + i);
                assertEquals(sent, got, "item " + i);
            }
        }
        byte[] one = Values.encode(List.of(42));
        assertTrue(one.length < 16, "one int took " + one.length + " bytes");
    }

    @Test
    void everyValueWithADirectFormTravelsDirectlyAndExactly() throws Exception {
        String unpairedSurrogate = "a\ud800b";
        List<Object> values = Arrays.asList((short) 3, 'c', 1.5f, (byte) -2, new int[] {1, 2}, new long[] {3L},
                new double[] {-0.0}, new byte[] {9}, unpairedSurrogate);
        byte[] bytes = Values.encode(values);
        assertEquals(DirectValues.LIST, bytes[0], "written directly, not by Java serialization");
        List<Object> back = Values.decode(bytes);
        assertEquals((short) 3, back.get(0));
        assertEquals('c', back.get(1));
        assertEquals(1.5f, back.get(2));
        assertEquals((byte) -2, back.get(3));
        assertArrayEquals(new int[] {1, 2}, (int[]) back.get(4));
        assertArrayEquals(new long[] {3L}, (long[]) back.get(5));
        assertArrayEquals(new double[] {-0.0}, (double[]) back.get(6));
        assertArrayEquals(new byte[] {9}, (byte[]) back.get(7));
        assertEquals(unpairedSurrogate, back.get(8), "a string comes back char for char, even one UTF-8 cannot carry");
    }

    @Test
    void otherValuesTravelByJavaSerializationAndKeepTheirClass() throws Exception {
        List<Object> immutable = List.of(1, 2);
        List<Object> values = Arrays.asList(BigInteger.TEN, immutable, 7);
        byte[] bytes = Values.encode(values);
        assertEquals(DirectValues.SERIALIZED, bytes[0]);
        List<Object> back = Values.decode(bytes);
        assertEquals(BigInteger.TEN, back.get(0));
        assertEquals(immutable.getClass(), back.get(1).getClass());
        assertEquals(immutable, back.get(1));
        assertEquals(7, back.get(2));
    }

    @Test
    void listsNestedDeeperThanTheDirectFormAllowsTravelByJavaSerialization() throws Exception {
        ArrayList<Object> deep = new ArrayList<>(List.of(1));
        for (int i = 0; i < 10; i++) {
            deep = new ArrayList<>(List.of(deep));
        }
        byte[] bytes = Values.encode(List.of(deep));
        assertEquals(DirectValues.SERIALIZED, bytes[0]);
        assertEquals(List.of(deep), Values.decode(bytes));
    }

    /** The bytes come from another JVM: whatever arrives, decoding fails cleanly or gives what was sent. */
    @Test
    void malformedBytesAreReportedAsCorruptNeverAsAWrongValueACrashOrAHugeAllocation() throws Exception {
        byte[] good = Values.encode(Arrays.asList(1, "text", new ArrayList<>(List.of(2L)), new Object[] {3.0}));
        for (int cut = 0; cut < good.length; cut++) {
            byte[] shorter = Arrays.copyOf(good, cut);
            assertThrows(StreamCorruptedException.class, () -> Values.decode(shorter), "cut to " + cut + " bytes");
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(StreamCorruptedException.class, () -> Values.decode(longer), "a byte after the list");

        byte[] unknownTag = good.clone();
        unknownTag[5] = (byte) 0xee; // the first value's tag
        assertThrows(StreamCorruptedException.class, () -> Values.decode(unknownTag));
        assertThrows(StreamCorruptedException.class, () -> Values.decode(new byte[] {'?', 0, 0, 0, 0}));

        for (int size : new int[] {-1, Integer.MAX_VALUE, 1 << 30}) {
            byte[] hugeList = ByteBuffer.allocate(5).put(DirectValues.LIST).putInt(size).array();
            assertThrows(StreamCorruptedException.class, () -> Values.decode(hugeList), "list size " + size);
            byte[] hugeString = ByteBuffer.allocate(10).put(DirectValues.LIST).putInt(1)
                    .put(DirectValues.LATIN1).putInt(size).array();
            assertThrows(StreamCorruptedException.class, () -> Values.decode(hugeString), "string length " + size);
        }

        ByteBuffer nested = ByteBuffer.allocate(5 * 100_000);
        while (nested.hasRemaining()) {
            nested.put(DirectValues.LIST).putInt(1);
        }
        assertThrows(StreamCorruptedException.class, () -> Values.decode(nested.array()),
                "lists nested 100,000 deep");

        byte[] notAList = Codec.encode("a string");
        byte[] serializedString = new byte[notAList.length + 1];
        serializedString[0] = DirectValues.SERIALIZED;
        System.arraycopy(notAList, 0, serializedString, 1, notAList.length);
        assertThrows(StreamCorruptedException.class, () -> Values.decode(serializedString));
    }

    @Test
    void aListHoldingItselfTravelsByJavaSerialization() throws Exception {
        ArrayList<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        List<Object> back = roundTrip(List.of(cyclic));
        List<?> got = (List<?>) back.get(0);
        assertSame(got, got.get(0));
    }

    @Test
    void aValueThatCannotBeSerializedIsNamed() {
        NotSerializableException refused = assertThrows(NotSerializableException.class,
                () -> Values.encode(List.of(1, new Object())));
        assertTrue(refused.getMessage().contains("java.lang.Object"), refused.getMessage());
    }

    @Test
    void aChunkOutcomeCarriesValuesOrTheFailureWithItsStackTrace() throws Exception {
        ChunkOutcome ok = ChunkOutcome.decode(ChunkOutcome.success(new ArrayList<>(List.of(1L, "a"))));
        assertEquals(List.of(1L, "a"), ok.values());
        assertNull(ok.failure());
        IllegalStateException thrown = new IllegalStateException("boom");
        ChunkOutcome failed = ChunkOutcome.decode(ChunkOutcome.failure(thrown));
        assertInstanceOf(IllegalStateException.class, failed.failure());
        assertEquals("boom", failed.failure().getMessage());
        assertEquals(thrown.getStackTrace()[0], failed.failure().getStackTrace()[0]);
        ChunkOutcome unserializable = ChunkOutcome.decode(ChunkOutcome.success(new ArrayList<>(List.of(new Object()))));
        assertInstanceOf(NotSerializableException.class, unserializable.failure());
    }
}
