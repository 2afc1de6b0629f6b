package io.multiprocessing4j.internal.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.multiprocessing4j.internal.transfer.BigEndian;
import io.multiprocessing4j.internal.transfer.DirectValues;
import java.io.StreamCorruptedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A pool's value block: direct values, lists and serialized values side by side, read back in
 * order; a malformed block is a {@link StreamCorruptedException}, whatever its bytes.
 */
class ValueBlockTest {
    private static byte[] block(Object... values) throws Exception {
        WireBuffer out = new WireBuffer(16);
        ValueBlockWriter writer = new ValueBlockWriter();
        writer.begin(out);
        for (Object value : values) {
            writer.write(value);
        }
        writer.end();
        return out.toArray();
    }

    private static ArrayList<Object> nested(int depth) {
        ArrayList<Object> list = new ArrayList<>(List.of(depth));
        return depth == 0 ? list : new ArrayList<>(List.of(depth, nested(depth - 1)));
    }

    @Test
    void directListedAndSerializedValuesComeBackInOrder() throws Exception {
        ArrayList<Object> list = new ArrayList<>(Arrays.asList("x", null, Duration.ofSeconds(3), new int[] {1, 2}));
        byte[] block = block(7, list, Duration.ofMillis(5), "é\u0100\ud800", nested(40), new long[] {Long.MIN_VALUE});
        ValueBlockReader in = new ValueBlockReader(block, 0, block.length);
        assertEquals(7, in.read());
        @SuppressWarnings("unchecked")
        List<Object> listBack = (List<Object>) in.read();
        assertEquals(list.subList(0, 3), listBack.subList(0, 3));
        assertArrayEquals(new int[] {1, 2}, (int[]) listBack.get(3));
        assertEquals(Duration.ofMillis(5), in.read());
        assertEquals("é\u0100\ud800", in.read());
        assertEquals(nested(40), in.read(), "lists deeper than the writer nests go whole to the serialized section");
        assertArrayEquals(new long[] {Long.MIN_VALUE}, (long[]) in.read());
        assertThrows(StreamCorruptedException.class, in::read, "no more values");
    }

    @Test
    void everyTruncationOfABlockIsCorrupt() throws Exception {
        byte[] block = block(7, "text", new ArrayList<>(List.of(1L, "two")), new double[] {Double.NaN});
        for (int cut = 0; cut < block.length; cut++) {
            byte[] prefix = Arrays.copyOf(block, cut);
            assertThrows(StreamCorruptedException.class, () -> {
                ValueBlockReader in = new ValueBlockReader(prefix, 0, prefix.length);
                for (int i = 0; i < 4; i++) {
                    in.read();
                }
            }, "cut to " + cut + " bytes");
        }
    }

    @Test
    void listsNestedDeeperThanTheWriterWritesAreCorrupt() throws Exception {
        int depth = 100_000; // deep enough to overflow the stack, were it followed
        byte[] block = new byte[4 + 5 * depth + 1];
        BigEndian.INTS.set(block, 0, -1);
        for (int i = 0; i < depth; i++) {
            block[4 + 5 * i] = DirectValues.LIST;
            BigEndian.INTS.set(block, 4 + 5 * i + 1, 1);
        }
        block[block.length - 1] = DirectValues.NULL;
        ValueBlockReader in = new ValueBlockReader(block, 0, block.length);
        StreamCorruptedException error = assertThrows(StreamCorruptedException.class, in::read);
        assertTrue(error.getMessage().contains("nested"), error.getMessage());

        byte[] allowed = Arrays.copyOfRange(block, 0, 4 + 5 * ValueBlockWriter.MAX_LIST_DEPTH + 1);
        allowed[allowed.length - 1] = DirectValues.NULL;
        Object value = new ValueBlockReader(allowed, 0, allowed.length).read();
        for (int i = 0; i < ValueBlockWriter.MAX_LIST_DEPTH; i++) {
            value = ((List<?>) value).get(0);
        }
        assertNull(value);
    }

    @Test
    void randomDirectValuesGiveValuesOrStreamCorruptedException() throws Exception {
        byte[] tags = "NTFbhcilfdsuBILDSA".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Random random = new Random(20240612);
        for (int round = 0; round < 50_000; round++) {
            byte[] block = new byte[4 + random.nextInt(40)];
            random.nextBytes(block);
            BigEndian.INTS.set(block, 0, -1); // no serialized section: what remains must be read directly
            for (int at = 4; at < block.length; at += 1 + random.nextInt(6)) {
                if (random.nextBoolean()) {
                    block[at] = tags[random.nextInt(tags.length)];
                }
            }
            try {
                ValueBlockReader in = new ValueBlockReader(block, 0, block.length);
                for (int i = 0; i < 8; i++) {
                    in.read();
                }
            } catch (StreamCorruptedException expected) {
                // the one acceptable failure
            } catch (Exception | Error wrong) {
                fail("block " + Arrays.toString(block) + " gave " + wrong, wrong);
            }
        }
    }
}
