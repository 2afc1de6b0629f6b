package io.multiprocessing4j.internal.queue;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.RobustMutex;
import io.multiprocessing4j.synchronize.Event;
import io.multiprocessing4j.testing.Children;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A process killed while it holds a ring's lock, at each point of a put or a take: the next process
 * takes the lock over from the dead one, and finds the queue as if the operation had either not
 * begun or completed. Each test leaves the shared memory exactly as a holder killed at that point
 * would (the stores a put or take makes, in its order, up to the point), with the lock word naming
 * a process that really is dead.
 */
class RingRepairTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    /** Takeover comes after the waiter's first liveness check (200 ms), with a margin for a loaded machine. */
    private static final long TAKEOVER_MS = 2_000;

    private static int deadPid;

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
    void aPutKilledBeforeItsCommitLeavesNoTrace() {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        put(ring, "a");
        put(ring, "b");
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer);
        long tail = (long) LONG.getVolatile(buffer, MessageRing.TAIL);
        writeRecord(ring, tail, MessageCodec.encode("half-written"), 0, 2); // then killed: no store of tail

        long began = System.nanoTime();
        assertTrue(ring.tryPut(OutgoingMessage.of("c")), "the put goes on after taking the lock over");
        assertTakeoverWasTimely(began);
        assertEquals(3, ring.size());
        assertEquals("a", take(ring));
        assertEquals("b", take(ring));
        assertEquals("c", take(ring));
        assertNull(ring.tryTake());
        assertEquals(0, ring.size());
    }

    @Test
    void aPutKilledRightAfterItsCommitIsCountedByTheNextHolder() {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        put(ring, "a");
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer);
        long tail = (long) LONG.getVolatile(buffer, MessageRing.TAIL);
        long puts = (long) LONG.getVolatile(buffer, MessageRing.PUTS);
        int record = writeRecord(ring, tail, MessageCodec.encode("b"), 0, (int) puts);
        LONG.setVolatile(buffer, MessageRing.TAIL, tail + record); // the commit; then killed before counting
        assertEquals(1, ring.size(), "the count lags behind the records");

        long began = System.nanoTime();
        assertEquals("a", take(ring));
        assertTakeoverWasTimely(began);
        assertEquals(1, ring.size(), "repaired: one message left");
        put(ring, "c");
        assertEquals("b", take(ring));
        assertEquals("c", take(ring));
        assertNull(ring.tryTake());
        assertEquals(0, ring.size());
    }

    @Test
    void aTakeKilledRightAfterItsCommitLosesOnlyTheMessageItTook() {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        put(ring, "a");
        put(ring, "b");
        put(ring, "c");
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer);
        long head = (long) LONG.getVolatile(buffer, MessageRing.HEAD);
        int length = (int) INT.getVolatile(buffer, MessageRing.DATA + (int) head) & ~MessageRing.SPILLED;
        LONG.setVolatile(buffer, MessageRing.HEAD, head + MessageRing.RECORD_HEADER + ((length + 7) & ~7));
        assertEquals(3, ring.size(), "the count lags behind the records");

        long began = System.nanoTime();
        assertEquals("b", take(ring), "the killed taker had taken 'a'; nothing else is lost");
        assertTakeoverWasTimely(began);
        assertEquals(1, ring.size());
        assertEquals("c", take(ring));
        assertEquals(0, ring.size());
        assertTrue(ring.isEmpty());
    }

    @Test
    void aTakeKilledBeforeItsCommitLosesNothing() {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        put(ring, "a");
        holdAsDead(ring.segment().buffer()); // killed while copying the record out

        assertEquals("a", take(ring));
        assertEquals(0, ring.size());
    }

    @Test
    void aSpilledPutKilledBeforeCountingItsBytesIsRepaired() {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        byte[] large = new byte[50_000];
        new java.util.Random(3).nextBytes(large);
        OutgoingMessage message = new OutgoingMessage(MessageCodec.encode(large));
        // The put as far as its commit and its count of puts, killed before counting the spilled bytes:
        message.spilledTo = io.multiprocessing4j.internal.shm.HandoffSegment.store(message.encoded);
        ByteBuffer buffer = ring.segment().buffer();
        holdAsDead(buffer);
        byte[] reference = new byte[Long.BYTES + message.spilledTo.length()];
        ByteBuffer.wrap(reference).order(java.nio.ByteOrder.nativeOrder()).putLong(0, message.encoded.length);
        System.arraycopy(message.spilledTo.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, reference,
                Long.BYTES, message.spilledTo.length());
        int record = writeRecord(ring, 0, reference, MessageRing.SPILLED, 0);
        LONG.setVolatile(buffer, MessageRing.TAIL, (long) record);
        LONG.setVolatile(buffer, MessageRing.PUTS, 1L);
        assertEquals(0L, (long) LONG.getVolatile(buffer, MessageRing.SPILLED_BYTES));

        put(ring, "after"); // takes the lock over
        assertEquals((long) message.encoded.length, (long) LONG.getVolatile(buffer, MessageRing.SPILLED_BYTES),
                "the spilled bytes were counted from the records");
        assertArrayEquals(large, (byte[]) MessageCodec.decode(ring.tryTake()));
        assertEquals(0L, (long) LONG.getVolatile(buffer, MessageRing.SPILLED_BYTES));
        assertEquals("after", take(ring));
    }

    @Test
    void aHolderReallyKilledWithSigkillIsTakenOverAndTheQueueGoesOn() throws Exception {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        put(ring, "a");
        Segment segment = ring.segment();
        Event holding = new Event();
        try (Children children = new Children()) {
            ChildProcess holder = children.start(() -> holdTheLockForever(segment, holding));
            assertTrue(holding.await(CHILD_TIMEOUT));
            assertEquals(holder.pid().getAsLong(), new RobustMutex(segment.buffer(), MessageRing.LOCK).holder());
            POSIXFactory.getPOSIX().kill((int) holder.pid().getAsLong(), 9);
            assertTrue(holder.join(CHILD_TIMEOUT));

            long began = System.nanoTime();
            assertEquals("a", take(ring));
            assertTakeoverWasTimely(began);
            put(ring, "b");
            assertEquals("b", take(ring));
        }
    }

    static void holdTheLockForever(Segment segment, Event holding) throws Exception {
        MessageRing ring = MessageRing.attach(segment);
        assertTrue(new RobustMutex(ring.segment().buffer(), MessageRing.LOCK).tryAcquire());
        holding.set();
        Thread.sleep(Long.MAX_VALUE);
    }

    // --------------------------------------------------------------------------------- helpers

    private static void holdAsDead(ByteBuffer buffer) {
        assertTrue(INT.compareAndSet(buffer, MessageRing.LOCK, 0, deadPid), "the lock was free");
    }

    /** Writes a record (header and body) at {@code position}, as a put does before its commit; returns its size. */
    private static int writeRecord(MessageRing ring, long position, byte[] body, int flags, int sequence) {
        ByteBuffer buffer = ring.segment().buffer();
        int mask = ring.capacity() - 1;
        int at = MessageRing.DATA + ((int) position & mask);
        INT.setVolatile(buffer, at, body.length | flags);
        INT.setVolatile(buffer, at + 4, sequence);
        for (int i = 0; i < body.length; i++) {
            buffer.put(MessageRing.DATA + ((int) (position + MessageRing.RECORD_HEADER + i) & mask), body[i]);
        }
        return MessageRing.RECORD_HEADER + ((body.length + 7) & ~7);
    }

    private static void put(MessageRing ring, Object value) {
        assertTrue(ring.tryPut(OutgoingMessage.of(value)));
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
