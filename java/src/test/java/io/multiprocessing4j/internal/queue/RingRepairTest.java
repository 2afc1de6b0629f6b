package io.multiprocessing4j.internal.queue;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.RobustMutex;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.synchronize.Event;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A process killed while it holds one of a ring's locks, at each point of a put or a take: the next
 * process takes the lock over from the dead one, and finds the queue as if the operation had either
 * not begun or completed. Each test leaves the shared memory exactly as a holder killed at that
 * point would (the stores a put or take makes, in its order, up to the point), with the lock word
 * naming a process that really is dead.
 */
class RingRepairTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    /** Takeover comes after the waiter's first liveness check (200 ms), with a margin for a loaded machine. */
    private static final long TAKEOVER_MS = 2_000;

    private static int deadPid;
    private final List<MessageRing> rings = new ArrayList<>();

    /** The pid of a child that has exited and been reaped: the holder every test's lock word names. */
    @BeforeAll
    static void findADeadProcess() throws Exception {
        try (Children children = new Children()) {
            ChildProcess child = children.start(() -> { });
            Children.assertExitsCleanly(child, CHILD_TIMEOUT);
            deadPid = (int) child.pid().getAsLong();
        }
    }

    @Test
    void aPutKilledWhileWritingItsRecordLeavesNoTrace() {
        MessageRing ring = ring();
        put(ring, "a");
        put(ring, "b");
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer, MessageRing.PUT_LOCK);
        long tail = (long) LONG.getVolatile(buffer, MessageRing.TAIL);
        long puts = (long) LONG.getVolatile(buffer, MessageRing.PUTS);
        writeRecord(ring, tail, MessageCodec.encode("half-written"), (int) (puts + 1)); // killed here

        long began = System.nanoTime();
        assertTrue(ring.tryPut(OutgoingMessage.of("c")), "the put goes on after taking the lock over");
        assertTakeoverWasTimely(began);
        assertEquals(3, ring.size());
        assertEquals(List.of("a", "b", "c"), takeAll(ring));
        assertEquals(0, ring.size());
    }

    @Test
    void aPutKilledAfterCountingItsRecordButBeforeItsCommitIsTakenBack() {
        MessageRing ring = ring();
        put(ring, "a");
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer, MessageRing.PUT_LOCK);
        long tail = (long) LONG.getVolatile(buffer, MessageRing.TAIL);
        long puts = (long) LONG.getVolatile(buffer, MessageRing.PUTS);
        writeRecord(ring, tail, MessageCodec.encode("never published"), (int) (puts + 1));
        LONG.setVolatile(buffer, MessageRing.PUTS, puts + 1); // killed here, before storing tail
        assertEquals(2, ring.size(), "the count is one ahead");

        long began = System.nanoTime();
        put(ring, "b");
        assertTakeoverWasTimely(began);
        assertEquals(2, ring.size(), "repaired: the killed put never happened");
        assertEquals(List.of("a", "b"), takeAll(ring));
        assertEquals(0, ring.size());
    }

    @Test
    void aPutKilledRightAfterItsCommitIsComplete() {
        MessageRing ring = ring();
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer, MessageRing.PUT_LOCK);
        int record = writeRecord(ring, 0, MessageCodec.encode("first"), 1);
        LONG.setVolatile(buffer, MessageRing.PUTS, 1L);
        LONG.setVolatile(buffer, MessageRing.TAIL, (long) record); // the commit; killed right after

        put(ring, "second");
        assertEquals(2, ring.size());
        assertEquals(List.of("first", "second"), takeAll(ring));
        assertEquals(0, ring.size());
    }

    @Test
    void aTakeKilledAfterCountingButBeforeItsCommitLosesNothing() {
        MessageRing ring = ring();
        put(ring, "a");
        put(ring, "b");
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer, MessageRing.TAKE_LOCK);
        LONG.setVolatile(buffer, MessageRing.GETS, (long) LONG.getVolatile(buffer, MessageRing.GETS) + 1);
        assertEquals(1, ring.size(), "the count is one ahead"); // killed here, before storing head

        long began = System.nanoTime();
        assertEquals("a", take(ring), "the message the killed take had copied is still there");
        assertTakeoverWasTimely(began);
        assertEquals(1, ring.size());
        assertEquals(List.of("b"), takeAll(ring));
        assertEquals(0, ring.size());
    }

    @Test
    void aTakeKilledRightAfterItsCommitLosesOnlyTheMessageItTook() {
        MessageRing ring = ring();
        put(ring, "a");
        put(ring, "b");
        put(ring, "c");
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer, MessageRing.TAKE_LOCK);
        long head = (long) LONG.getVolatile(buffer, MessageRing.HEAD);
        int length = (int) INT.getVolatile(buffer, MessageRing.DATA + (int) head) & ~MessageRing.SPILLED;
        LONG.setVolatile(buffer, MessageRing.GETS, (long) LONG.getVolatile(buffer, MessageRing.GETS) + 1);
        LONG.setVolatile(buffer, MessageRing.HEAD, head + MessageRing.RECORD_HEADER + ((length + 7) & ~7));

        long began = System.nanoTime();
        assertEquals("b", take(ring), "the killed take had 'a'; nothing else is lost");
        assertTakeoverWasTimely(began);
        assertEquals(1, ring.size());
        assertEquals(List.of("c"), takeAll(ring));
        assertEquals(0, ring.size());
        assertTrue(ring.isEmpty());
    }

    @Test
    void aTakeKilledBeforeCountingLosesNothing() {
        MessageRing ring = ring();
        put(ring, "a");
        holdAsDead(ring.segment().buffer(), MessageRing.TAKE_LOCK); // killed while copying the record out

        assertEquals(List.of("a"), takeAll(ring));
        assertEquals(0, ring.size());
    }

    @Test
    void theProducersLockAndTheConsumersLockAreTakenOverIndependently() {
        MessageRing ring = ring();
        put(ring, "a");
        holdAsDead(ring.segment().buffer(), MessageRing.PUT_LOCK);
        assertEquals("a", take(ring), "consumers do not wait for the producers' lock");
        put(ring, "b"); // takes the producers' lock over
        assertEquals(List.of("b"), takeAll(ring));
    }

    @Test
    void aHolderReallyKilledWithSigkillIsTakenOverAndTheQueueGoesOn() throws Exception {
        MessageRing ring = ring();
        put(ring, "a");
        Segment segment = ring.segment();
        try (Event holding = new Event(); Children children = new Children()) {
            ChildProcess holder = children.start(() -> holdTheLocksForever(segment, holding));
            assertTrue(holding.await(CHILD_TIMEOUT));
            assertEquals(holder.pid().getAsLong(), new RobustMutex(segment.buffer(), MessageRing.PUT_LOCK).holder());
            assertEquals(holder.pid().getAsLong(), new RobustMutex(segment.buffer(), MessageRing.TAKE_LOCK).holder());
            POSIXFactory.getPOSIX().kill((int) holder.pid().getAsLong(), 9);
            assertTrue(holder.join(CHILD_TIMEOUT));

            long began = System.nanoTime();
            assertEquals("a", take(ring));
            assertTakeoverWasTimely(began);
            put(ring, "b");
            assertEquals("b", take(ring));
        }
    }

    static void holdTheLocksForever(Segment segment, Event holding) throws Exception {
        MessageRing ring = MessageRing.attach(segment);
        assertTrue(new RobustMutex(ring.segment().buffer(), MessageRing.PUT_LOCK).tryAcquire());
        assertTrue(new RobustMutex(ring.segment().buffer(), MessageRing.TAKE_LOCK).tryAcquire());
        holding.set();
        Thread.sleep(Long.MAX_VALUE);
    }

    // --------------------------------------------------------------------------------- helpers

    private MessageRing ring() {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        rings.add(ring);
        return ring;
    }

    @AfterEach
    void closeRings() {
        rings.forEach(ring -> ring.segment().close());
    }

    private static void holdAsDead(ByteBuffer buffer, int lock) {
        assertTrue(INT.compareAndSet(buffer, lock, 0, deadPid), "the lock was free");
    }

    /** Writes a record (header and body) at {@code position}, as a put does before counting it; returns its size. */
    private static int writeRecord(MessageRing ring, long position, byte[] body, int numberPlusOne) {
        ByteBuffer buffer = ring.segment().buffer();
        int mask = ring.capacity() - 1;
        int at = MessageRing.DATA + ((int) position & mask);
        INT.setVolatile(buffer, at, body.length);
        INT.setVolatile(buffer, at + 4, numberPlusOne);
        for (int i = 0; i < body.length; i++) {
            buffer.put(MessageRing.DATA + ((int) (position + MessageRing.RECORD_HEADER + i) & mask), body[i]);
        }
        return MessageRing.RECORD_HEADER + ((body.length + 7) & ~7);
    }

    private static void put(MessageRing ring, Object value) {
        assertTrue(ring.tryPut(OutgoingMessage.of(value)));
    }

    private static List<Object> takeAll(MessageRing ring) {
        List<Object> taken = new ArrayList<>();
        for (byte[] message = ring.tryTake(); message != null; message = ring.tryTake()) {
            taken.add(MessageCodec.decode(message));
        }
        return taken;
    }

    private static Object take(MessageRing ring) {
        byte[] message = ring.tryTake();
        assertTrue(message != null, "a message was there");
        return MessageCodec.decode(message);
    }

    private static void assertTakeoverWasTimely(long began) {
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(tookMs < TAKEOVER_MS, "took the lock over after " + tookMs + " ms");
    }
}
