package io.multiprocessing4j.internal.queue;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.InFaultSuite;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A growing ring (an unbounded queue's) whose producers or consumers were killed in the middle of a
 * move between the ring and an overflow chunk, holding the lock: whoever takes the lock over finishes
 * or undoes the move, and every message comes out once, in order. Each test builds the state such a
 * kill leaves (RingRepairTest does the same for puts and takes within the ring).
 */
@InFaultSuite
class ChunkRepairTest {
    private static int deadPid;
    private final List<MessageRing> rings = new ArrayList<>();

    @BeforeAll
    static void findADeadProcess() throws Exception {
        try (Children children = new Children()) {
            ChildProcess child = children.start(() -> { });
            Children.assertExitsCleanly(child, Duration.ofSeconds(60));
            deadPid = (int) child.pid().getAsLong();
        }
    }

    @Test
    void aProducerKilledAfterLinkingTheRingToANewChunkButBeforeMovingThereIsFollowed() {
        MessageRing ring = ring();
        int first = fillUntilItGrows(ring);
        ByteBuffer buffer = ring.segment().buffer();
        // Killed between committing the ring's link (the first message in the chunk) and moving producers on.
        LONG.setVolatile(buffer, MessageRing.PUT_CHUNK, 0L);
        holdAsDead(buffer, MessageRing.PUT_LOCK);

        put(ring, first + 1); // takes the lock over; without the repair it would go into the ring, before the chunk's
        put(ring, first + 2);
        assertEquals(first + 3, ring.size());
        assertInOrder(takeAll(ring), first + 3);
    }

    @Test
    void aProducerKilledAfterLinkingAChunkBackToTheRingButBeforeMovingThereIsFollowed() {
        MessageRing ring = ring();
        int count = fillUntilItGrows(ring) + 1;
        assertInOrder(takeAll(ring), count); // the consumer links the drained chunk back to the ring
        ByteBuffer buffer = ring.segment().buffer();
        assertEquals(0L, (long) LONG.getVolatile(buffer, MessageRing.PUT_CHUNK));
        // Killed between committing the chunk's link back and moving producers to the ring.
        LONG.setVolatile(buffer, MessageRing.PUT_CHUNK, (long) LONG.getVolatile(buffer, MessageRing.LAST_CHUNK));
        holdAsDead(buffer, MessageRing.PUT_LOCK);

        put(ring, 0); // without the repair, appended after the chunk's last link, where nobody reads
        put(ring, 1);
        assertEquals(2, ring.size());
        assertInOrder(takeAll(ring), 2);
    }

    @Test
    void aConsumerKilledAfterMovingToAChunkButBeforeConsumingTheRingsLinkIsNotSentThereTwice() {
        MessageRing ring = ring();
        int count = fillUntilItGrows(ring) + 1;
        ByteBuffer buffer = ring.segment().buffer();
        long linkAt = (long) LONG.getVolatile(buffer, MessageRing.RING_LINK_AT);
        List<Object> taken = new ArrayList<>();
        while ((long) LONG.getVolatile(buffer, MessageRing.HEAD) != linkAt) {
            taken.add(MessageCodec.decode(ring.tryTake()));
        }
        // Killed between moving consumers to the chunk and consuming the link that leads there.
        long chunk = (long) LONG.getVolatile(buffer, MessageRing.PUT_CHUNK);
        LONG.setVolatile(buffer, MessageRing.TAKE_AT, chunk << 32 | Chunk.DATA);
        holdAsDead(buffer, MessageRing.TAKE_LOCK);

        taken.addAll(takeAll(ring));
        assertInOrder(taken, count);
        assertEquals(0, ring.size());
        // Without the repair the stale link would stay at the ring's head: the ring would never drain,
        // and the queue would never go back to it (or, once back, lead consumers into the chunk again).
        assertEquals((long) LONG.getVolatile(buffer, MessageRing.TAIL), (long) LONG.getVolatile(buffer, MessageRing.HEAD));
        assertEquals(0L, (long) LONG.getVolatile(buffer, MessageRing.PUT_CHUNK), "a drained queue is back in its ring");
        put(ring, "after");
        assertEquals(List.of("after"), takeAll(ring));
    }

    @Test
    void aPutKilledAfterCountingItsLinkButBeforeCommittingItIsTakenBack() {
        MessageRing ring = ring();
        int first = fillUntilItGrows(ring);
        ByteBuffer buffer = ring.segment().buffer();
        // Undo the move's commit and the producers' move: the count and the link stay, as a kill leaves them.
        long linkAt = (long) LONG.getVolatile(buffer, MessageRing.RING_LINK_AT);
        assertEquals(linkAt + MessageRing.LINK_RECORD, (long) LONG.getVolatile(buffer, MessageRing.TAIL));
        LONG.setVolatile(buffer, MessageRing.TAIL, linkAt);
        LONG.setVolatile(buffer, MessageRing.PUT_CHUNK, 0L);
        assertNotEquals(0, (int) INT.getVolatile(buffer, MessageRing.DATA + ((int) linkAt & (ring.capacity() - 1)))
                & MessageRing.LINK);
        holdAsDead(buffer, MessageRing.PUT_LOCK);

        put(ring, first + 1); // takes over: the unpublished message is not counted, and this one follows the others
        assertEquals(first + 1, ring.size(), "the message whose link was never committed does not count");
        List<Object> taken = takeAll(ring);
        assertEquals(first + 1, taken.size());
        for (int i = 0; i < first; i++) {
            assertEquals(i, taken.get(i));
        }
        assertEquals(first + 1, taken.get(first), "message " + first + " was never published");
    }

    // --------------------------------------------------------------------------------- helpers

    /** Puts 0, 1, ... until a put goes into a new chunk; returns the number of that last message. */
    private static int fillUntilItGrows(MessageRing ring) {
        ByteBuffer buffer = ring.segment().buffer();
        for (int i = 0; ; i++) {
            put(ring, i);
            if ((long) LONG.getVolatile(buffer, MessageRing.PUT_CHUNK) != 0) {
                return i;
            }
            assertTrue(i < 10_000, "the ring grew");
        }
    }

    private MessageRing ring() {
        MessageRing ring = MessageRing.create(4096, 0, "test", true);
        rings.add(ring);
        return ring;
    }

    @AfterEach
    void closeRings() {
        rings.forEach(ring -> {
            ring.clear();
            ring.releaseChunks();
            ring.segment().close();
        });
    }

    private static void holdAsDead(ByteBuffer buffer, int lock) {
        assertTrue(INT.compareAndSet(buffer, lock, 0, deadPid), "the lock was free");
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

    private static void assertInOrder(List<Object> taken, int count) {
        assertEquals(count, taken.size(), "each message once: " + taken);
        for (int i = 0; i < count; i++) {
            assertEquals(i, taken.get(i));
        }
    }
}
