package io.multiprocessing4j.sharedctypes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.synchronize.Lock;
import io.multiprocessing4j.synchronize.RLock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedValueTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void lockedIncrementsFromFourProcessesComeOutExact() throws Exception {
        SharedInt counter = SharedInt.create(0);
        assertTrue(counter.getLock() instanceof RLock, "Python's Value comes with an RLock");
        try (Children children = new Children()) {
            for (int i = 0; i < 4; i++) {
                children.start(() -> lockedIncrements(counter, 100_000));
            }
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals(400_000, counter.get());
    }

    static void lockedIncrements(SharedInt counter, int times) {
        for (int i = 0; i < times; i++) {
            counter.withLock(() -> counter.set(counter.get() + 1));
        }
    }

    @Test
    void atomicIncrementsWithoutAnyLockComeOutExact() throws Exception {
        SharedLong counter = SharedLong.createRaw(0);
        assertFalse(counter.hasLock());
        try (Children children = new Children()) {
            for (int i = 0; i < 4; i++) {
                children.start(() -> atomicIncrements(counter, 100_000));
            }
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals(400_000, counter.get());
    }

    static void atomicIncrements(SharedLong counter, int times) {
        for (int i = 0; i < times; i++) {
            if ((i & 1) == 0) {
                counter.incrementAndGet();
            } else {
                counter.updateAndGet(v -> v + 1);
            }
        }
    }

    /**
     * The walkthrough's race: one process adds 10 fifty times, another subtracts 10 fifty times,
     * each with a read and a separate write and no lock. Updates may be lost; whatever comes out
     * must still be a result those operations can produce.
     */
    @Test
    void theUnlockedRaceGivesAResultConsistentWithTheOperations() throws Exception {
        SharedInt x = SharedInt.create(1000);
        try (Children children = new Children()) {
            children.start(() -> addWithoutLock(x, 10));
            children.start(() -> addWithoutLock(x, -10));
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        int result = x.get();
        assertTrue(result >= 500 && result <= 1500, "result " + result);
        assertEquals(0, result % 10, "result " + result);
    }

    static void addWithoutLock(SharedInt x, int delta) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            Thread.sleep(1);
            int read = x.get();
            Thread.yield();
            x.set(read + delta);
        }
    }

    @Test
    void aChildSeesAndChangesTheParentsValues() throws Exception {
        SharedDouble pi = SharedDouble.create(3.0);
        SharedByte flag = SharedByte.createRaw((byte) 0);
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(() -> refine(pi, flag)), CHILD_TIMEOUT);
        }
        assertEquals(3.14159, pi.get());
        assertEquals(1, flag.get());
    }

    static void refine(SharedDouble pi, SharedByte flag) {
        assertEquals(3.0, pi.get());
        pi.addAndGet(0.14159);
        flag.set((byte) 1);
    }

    @Test
    void narrowTypesWrapAroundAsInCAndShowUnsignedValues() {
        SharedByte b = SharedByte.createRaw((byte) 127);
        assertEquals((byte) -128, b.incrementAndGet());
        assertEquals(128, b.getUnsigned());
        b.setUnsigned(255);
        assertEquals(-1, b.get());
        assertThrows(IllegalArgumentException.class, () -> b.setUnsigned(256));
        assertTrue(b.compareAndSet((byte) -1, (byte) 7));
        assertFalse(b.compareAndSet((byte) -1, (byte) 8));
        assertEquals(14, b.updateAndGet(v -> v * 2));

        SharedShort h = SharedShort.createRaw(Short.MAX_VALUE);
        assertEquals(Short.MIN_VALUE, h.addAndGet((short) 1));
        assertEquals(32768, h.getUnsigned());
        assertEquals(Short.MIN_VALUE, h.getAndAdd((short) -1));
        assertEquals(Short.MAX_VALUE, h.get());

        SharedInt i = SharedInt.createRaw(-1);
        assertEquals(4_294_967_295L, i.getUnsigned());
        i.setUnsigned(3_000_000_000L);
        assertEquals((int) 3_000_000_000L, i.get());
        assertThrows(IllegalArgumentException.class, () -> i.setUnsigned(-1));
        assertEquals((int) 3_000_000_000L, i.getAndSet(5));
        assertEquals(4, i.decrementAndGet());

        SharedLong q = SharedLong.createRaw(-1);
        assertEquals("18446744073709551615", Long.toUnsignedString(q.get()));
    }

    @Test
    void floatingPointAtomicsCompareBitPatterns() {
        SharedFloat f = SharedFloat.createRaw(1.5f);
        assertEquals(1.5f, f.getAndAdd(1f));
        assertEquals(2.5f, f.get());
        assertTrue(f.compareAndSet(2.5f, Float.NaN));
        assertTrue(f.compareAndSet(Float.NaN, 0f), "NaN matches NaN bitwise");
        assertFalse(f.compareAndSet(-0f, 1f), "0.0 is not -0.0 bitwise");
        assertEquals(4f, f.updateAndGet(v -> v + 4));

        SharedDouble d = SharedDouble.createRaw(0.5);
        assertEquals(0.5, d.getAndSet(2.0));
        assertEquals(6.0, d.updateAndGet(v -> v * 3));
    }

    @Test
    void locksFollowPython() throws Exception {
        SharedInt raw = SharedInt.createRaw(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, raw::getLock);
        assertTrue(e.getMessage().contains("no lock"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> raw.withLock(() -> { }));

        Lock mine = new Lock();
        SharedInt a = SharedInt.create(1, mine);
        SharedLong b = SharedLong.create(2, mine);
        assertSame(mine, a.getLock());
        assertSame(mine, b.getLock());
        assertEquals(3L, (long) a.withLock(() -> a.get() + b.get()));
        assertThrows(NullPointerException.class, () -> SharedInt.create(0, null));
    }

    @Test
    void useAfterCloseIsAnIllegalState() {
        SharedInt x = SharedInt.create(5);
        x.close();
        x.close();
        assertTrue(x.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, x::get);
        assertEquals("SharedInt is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> x.set(1));
        assertThrows(IllegalStateException.class, x::incrementAndGet);
        assertEquals("SharedInt[closed]", x.toString());
    }
}
