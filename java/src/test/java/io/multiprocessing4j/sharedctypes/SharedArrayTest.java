package io.multiprocessing4j.sharedctypes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Children;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SharedArrayTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final int LENGTH = 1 << 20;

    @Test
    void bulkCopiesTravelBothWaysBetweenProcesses() throws Exception {
        int[] squares = IntStream.range(0, LENGTH).map(i -> i * i).toArray();
        SharedIntArray ints = SharedIntArray.createRaw(squares);
        SharedDoubleArray doubles = SharedDoubleArray.create(LENGTH);
        double[] halves = IntStream.range(0, LENGTH).mapToDouble(i -> i / 2.0).toArray();
        doubles.set(0, halves);
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(() -> checkAndNegate(ints, doubles)), CHILD_TIMEOUT);
        }
        int[] back = ints.toArray();
        for (int i = 0; i < LENGTH; i++) {
            assertEquals(-(i * i), back[i], "element " + i);
        }
        double[] doublesBack = new double[LENGTH];
        doubles.get(0, doublesBack);
        for (int i = 0; i < LENGTH; i++) {
            assertEquals(-(i / 2.0), doublesBack[i], "element " + i);
        }
    }

    static void checkAndNegate(SharedIntArray ints, SharedDoubleArray doubles) {
        assertEquals(LENGTH, ints.length());
        int[] all = ints.toArray();
        for (int i = 0; i < all.length; i++) {
            assertEquals(i * i, all[i], "element " + i);
            all[i] = -all[i];
        }
        ints.set(0, all);
        double[] ds = doubles.copyOfRange(0, LENGTH);
        for (int i = 0; i < ds.length; i++) {
            ds[i] = -ds[i];
        }
        doubles.set(0, ds);
    }

    @Test
    void elementAtomicsFromTwoProcessesComeOutExact() throws Exception {
        SharedLongArray counters = SharedLongArray.createRaw(16);
        try (Children children = new Children()) {
            children.start(() -> incrementAll(counters, 20_000));
            children.start(() -> incrementAll(counters, 20_000));
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        long[] expected = new long[16];
        Arrays.fill(expected, 40_000);
        assertArrayEquals(expected, counters.toArray());
    }

    static void incrementAll(SharedLongArray counters, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < counters.length(); i++) {
                counters.incrementAndGet(i);
            }
        }
    }

    @Test
    void rangesAndIndexesAreChecked() {
        SharedIntArray a = SharedIntArray.create(new int[] {1, 2, 3, 4});
        assertEquals(4, a.length());
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(4, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.getAndAdd(9, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.copyOfRange(2, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> a.copyOfRange(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(2, new int[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(0, new int[2], 1, 2));
        assertArrayEquals(new int[] {1, 2, 3, 4}, a.toArray(), "nothing was written by a refused copy");
        assertArrayEquals(new int[] {2, 3}, a.copyOfRange(1, 3));
        assertTrue(a.compareAndSet(0, 1, 10));
        assertEquals(12, a.addAndGet(1, 10));

        assertThrows(IllegalArgumentException.class, () -> SharedIntArray.create(-1));
        assertEquals(0, SharedShortArray.createRaw(0).length());
        assertThrows(IndexOutOfBoundsException.class, () -> SharedShortArray.createRaw(0).get(0));

        SharedFloatArray f = SharedFloatArray.createRaw(new float[] {1.5f, 2.5f});
        f.set(1, 9f);
        assertArrayEquals(new float[] {1.5f, 9f}, f.toArray());
        SharedShortArray s = SharedShortArray.create(new short[] {7, 8, 9});
        assertEquals(8, s.get(1));
        a.close();
        assertThrows(IllegalStateException.class, () -> a.get(0));
    }

    @Test
    void charArraysConvertLikePythonsCCharArrays() throws Exception {
        SharedByteArray chars = SharedByteArray.create(10);
        chars.setValue("hello");
        assertEquals("hello", chars.value());
        assertArrayEquals("hello\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII), chars.raw());
        chars.setValue("hi");
        assertEquals("hi", chars.value(), "value stops at the NUL written after it");
        assertArrayEquals("hi\0lo\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII), chars.raw());
        chars.setValue("0123456789");
        assertEquals("0123456789", chars.value(), "exactly full: no room and no need for a NUL");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chars.setValue("0123456789A"));
        assertTrue(e.getMessage().startsWith("bytes too long"), e.getMessage());
        chars.setRaw(new byte[] {'a', 0, 'b'});
        assertEquals("a", chars.value());
        assertThrows(IllegalArgumentException.class, () -> chars.setRaw(new byte[11]));
        assertEquals((byte) 'b', chars.get(2));
        chars.set(0, (byte) 0xff);
        assertEquals(255, chars.getUnsigned(0));
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(() -> chars.setValue("from child")), CHILD_TIMEOUT);
        }
        assertEquals("from child", chars.value());
    }
}
