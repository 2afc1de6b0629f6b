package io.multiprocessing4j.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Messages too large for a queue's ring travel in named segments of their own, which must not
 * outlive them: the taker unlinks its message's segment, clear() and a put that gives up unlink
 * theirs, and when the whole process tree is gone (even by SIGKILL) the resource tracker unlinks
 * whatever was never taken. The ring itself is anonymous and never visible in /dev/shm.
 */
@ProcessSemantics
class SpilledMessagesLeakTest {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(20);

    @Test
    void aTakenLargeMessageLeavesNothingInDevShm() {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        assertTrue(ring.tryPut(OutgoingMessage.of(new byte[10_000])));
        List<String> names = ring.spilledSegmentNames();
        assertEquals(1, names.size());
        Path segment = Path.of("/dev/shm", names.get(0));
        assertTrue(Files.exists(segment), "the message waits in " + segment);
        assertEquals(10_000, ((byte[]) MessageCodec.decode(ring.tryTake())).length);
        assertFalse(Files.exists(segment), "the taker unlinked " + segment);
        ring.segment().close();
    }

    @Test
    void clearingTheQueueUnlinksTheSegmentsOfItsLargeMessages() {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        assertTrue(ring.tryPut(OutgoingMessage.of(new byte[5_000])));
        assertTrue(ring.tryPut(OutgoingMessage.of("small")));
        assertTrue(ring.tryPut(OutgoingMessage.of(new byte[7_000])));
        List<String> names = ring.spilledSegmentNames();
        assertEquals(2, names.size());
        assertEquals(3, ring.clear());
        for (String name : names) {
            assertFalse(Files.exists(Path.of("/dev/shm", name)), name);
        }
        assertTrue(ring.isEmpty());
        ring.segment().close();
    }

    @Test
    void aPutThatGivesUpUnlinksTheSegmentItMade() throws Exception {
        MessageRing ring = MessageRing.create(4096, 1, "test");
        assertTrue(ring.tryPut(OutgoingMessage.of("fills maxsize")));
        OutgoingMessage large = OutgoingMessage.of(new byte[10_000]);
        assertFalse(ring.put(large, TimeUnit.MILLISECONDS.toNanos(50), true));
        assertNotNull(large.spilledTo, "the bytes were written out, waiting for room");
        Path segment = Path.of("/dev/shm", large.spilledTo);
        assertTrue(Files.exists(segment));
        large.abandon();
        assertFalse(Files.exists(segment), "abandoning the message unlinked " + segment);
        ring.segment().close();
    }

    @Test
    void largeMessagesNeverTakenAreUnlinkedOnceTheirProcessTreeIsKilled() throws Exception {
        try (SeparateJvm parent = SeparateJvm.start(SpilledThenKilledMain.class)) {
            assertTrue(parent.awaitReady(), "the parent put its messages");
            String[] names = parent.fact("SPILLED").split(",");
            assertEquals(2, names.length);
            for (String name : names) {
                assertTrue(Files.exists(Path.of("/dev/shm", name)), name + " exists before the kill");
            }
            parent.kill();
            for (String name : names) {
                assertTrue(Eventually.within(GONE_WITHIN, () -> !Files.exists(Path.of("/dev/shm", name))), name + " was unlinked by the tracker");
            }
        }
    }
}
