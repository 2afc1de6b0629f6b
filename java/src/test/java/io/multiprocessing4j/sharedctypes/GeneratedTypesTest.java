package io.multiprocessing4j.sharedctypes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The typed classes are written from templates at build time (src/template): each operation of each
 * generated type, checked once, so a wrong conversion in the type table cannot hide behind the
 * types the other tests happen to use.
 */
class GeneratedTypesTest {

    @Test
    void everyValueTypeReadsWritesAndUpdatesItsOwnWidth() {
        try (SharedByte b = SharedByte.createRaw((byte) -2)) {
            assertEquals(-2, b.getAndAdd((byte) 3));
            assertEquals(1, b.get());
            assertEquals((byte) 0x80, b.updateAndGet(x -> x + 127));      // 1 + 127 wraps to -128
            assertEquals(0x80, b.getUnsigned());
            assertEquals(-128, b.getAndSet((byte) 5));
            assertEquals(4, b.decrementAndGet());
            assertTrue(b.compareAndSet((byte) 4, (byte) -1));
            assertEquals(255, b.getUnsigned());
        }
        try (SharedShort h = SharedShort.createRaw((short) -1)) {
            assertEquals(65535, h.getUnsigned());
            h.setUnsigned(40000);
            assertEquals((short) 40000, h.get());
            assertThrows(IllegalArgumentException.class, () -> h.setUnsigned(65536));
            assertEquals((short) 40001, h.incrementAndGet());
            assertEquals((short) 2, h.updateAndGet(x -> 65538));           // narrowed to 16 bits
        }
        try (SharedInt i = SharedInt.createRaw(Integer.MAX_VALUE)) {
            assertEquals(Integer.MIN_VALUE, i.incrementAndGet());
            assertEquals(1L << 31, i.getUnsigned());
            assertThrows(IllegalArgumentException.class, () -> i.setUnsigned(-1));
            assertEquals(Integer.MIN_VALUE, i.getAndAdd(10));
            assertEquals(Integer.MIN_VALUE + 20, i.addAndGet(10));
        }
        try (SharedLong q = SharedLong.createRaw(Long.MIN_VALUE)) {
            assertEquals(Long.MAX_VALUE, q.decrementAndGet());
            assertEquals(Long.MAX_VALUE, q.getAndSet(7));
            assertEquals(49, q.updateAndGet(x -> x * x));
            assertFalse(q.compareAndSet(7, 8));
        }
        try (SharedFloat f = SharedFloat.createRaw(0.25f)) {
            assertEquals(0.25f, f.getAndAdd(0.5f));
            assertEquals(1.0f, f.addAndGet(0.25f));
            assertEquals(0.1f, f.updateAndGet(x -> 0.1));                 // narrowed to a float
            assertTrue(f.compareAndSet(0.1f, Float.NaN));
            assertTrue(f.compareAndSet(Float.NaN, -0.0f));
            assertFalse(f.compareAndSet(0.0f, 1.0f));
        }
        try (SharedDouble d = SharedDouble.createRaw(Double.NaN)) {
            assertEquals(Double.doubleToRawLongBits(Double.NaN), Double.doubleToRawLongBits(d.getAndSet(2.0)));
            assertEquals(2.0, d.getAndAdd(0.5));
            assertEquals(3.0, d.addAndGet(0.5));
            assertEquals("SharedDouble[3.0]", d.toString());
        }
    }

    @Test
    void everyArrayTypeCopiesItsElementsAndTheIntegralOnesCountAtomically() {
        try (SharedShortArray h = SharedShortArray.createRaw(new short[] {1, -2, 3})) {
            assertArrayEquals(new short[] {-2, 3}, h.copyOfRange(1, 3));
            h.set(0, (short) 9);
            assertEquals(9, h.get(0));
        }
        try (SharedIntArray i = SharedIntArray.createRaw(4)) {
            i.set(1, new int[] {5, 6});
            assertEquals(6, i.incrementAndGet(1));
            assertEquals(6, i.getAndAdd(1, -6));
            assertEquals(-1, i.decrementAndGet(1));
            assertTrue(i.compareAndSet(2, 6, 60));
            assertEquals(60, i.getAndSet(2, 0));
            assertArrayEquals(new int[] {0, -1, 0, 0}, i.toArray());
            assertThrows(IndexOutOfBoundsException.class, () -> i.get(4));
        }
        try (SharedLongArray q = SharedLongArray.createRaw(new long[] {Long.MAX_VALUE})) {
            assertEquals(Long.MIN_VALUE, q.addAndGet(0, 1));
            long[] out = new long[1];
            q.get(0, out);
            assertEquals(Long.MIN_VALUE, out[0]);
        }
        try (SharedFloatArray f = SharedFloatArray.createRaw(2); SharedDoubleArray d = SharedDoubleArray.createRaw(2)) {
            f.set(0, new float[] {1.5f, 2.5f}, 0, 2);
            d.set(1, 4.5);
            assertArrayEquals(new float[] {1.5f, 2.5f}, f.toArray());
            assertArrayEquals(new double[] {0.0, 4.5}, d.toArray());
            assertEquals("SharedDoubleArray[length=2]", d.toString());
        }
    }
}
