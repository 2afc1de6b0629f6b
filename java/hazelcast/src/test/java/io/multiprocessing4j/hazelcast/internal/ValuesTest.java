package io.multiprocessing4j.hazelcast.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.NotSerializableException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire form of a chunk's items and results: every value comes back equal and of its own
 * class, whether it travelled tagged or by Java serialization; the tagged form is the small one;
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
    void otherValuesTravelByJavaSerializationAndKeepTheirClass() throws Exception {
        List<Object> immutable = List.of(1, 2);
        List<Object> values = Arrays.asList(BigInteger.TEN, immutable, (short) 3, 'c', 1.5f, new int[] {1, 2});
        List<Object> back = roundTrip(values);
        assertEquals(BigInteger.TEN, back.get(0));
        assertEquals(immutable.getClass(), back.get(1).getClass());
        assertEquals(immutable, back.get(1));
        assertEquals((short) 3, back.get(2));
        assertEquals('c', back.get(3));
        assertEquals(1.5f, back.get(4));
        assertArrayEquals(new int[] {1, 2}, (int[]) back.get(5));
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
