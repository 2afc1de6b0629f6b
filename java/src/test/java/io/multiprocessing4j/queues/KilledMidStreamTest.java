package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.sharedctypes.SharedIntArray;
import io.multiprocessing4j.sharedctypes.SharedLongArray;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.InFaultSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;

/**
 * Consumers and producers SIGKILLed while they work the queue as fast as they can (so a kill often
 * lands inside a get or a put, lock held): the others go on, and nothing is lost or delivered twice
 * beyond the one message a killed consumer had in its hands. The precise instants are played one
 * by one in RingRepairTest.
 */
@InFaultSuite
class KilledMidStreamTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);
    private static final int SIGKILL = 9;

    @Test
    void consumersKilledMidStreamDoNotCorruptTheQueueForTheOthers() throws Exception {
        int messages = 120_000;
        int victims = 3;
        try (Queue<Integer> queue = new Queue<>(); SharedIntArray seen = SharedIntArray.createRaw(messages);
                SharedIntArray taken = SharedIntArray.createRaw(2 + victims)) {
            queue.cancelJoinThread(); // should the test fail half-way, this JVM's exit must not wait for readers
            consumeWhileKillingSome(queue, seen, taken, messages, victims);
        }
    }

    /** The same on a queue whose ring is so small that it grows and shrinks all the time: kills land in moves between chunks. */
    @Test
    void consumersKilledMidStreamOnAGrowingQueueDoNotCorruptItForTheOthers() throws Exception {
        int messages = 120_000;
        int victims = 3;
        try (Queue<Integer> queue = new Queue<>(0, 4096); SharedIntArray seen = SharedIntArray.createRaw(messages);
                SharedIntArray taken = SharedIntArray.createRaw(2 + victims)) {
            consumeWhileKillingSome(queue, seen, taken, messages, victims);
        }
    }

    private static void consumeWhileKillingSome(Queue<Integer> queue, SharedIntArray seen, SharedIntArray taken,
            int messages, int victims) throws Exception {
        try (Children children = new Children()) {
            List<ChildProcess> survivors = new ArrayList<>();
            List<ChildProcess> victimProcesses = new ArrayList<>();
            for (int slot = 0; slot < 2 + victims; slot++) {
                int consumer = slot;
                ChildProcess child = children.start(() -> consumeUntilNull(queue, seen, taken, consumer));
                (slot < 2 ? survivors : victimProcesses).add(child);
            }
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < messages; i++) {
                        queue.put(i);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            for (int v = 0; v < victims; v++) {
                ChildProcess victim = victimProcesses.get(v);
                // Kills spread over the stream: when the victim has taken its share, or (a victim the
                // scheduler starves on a loaded machine) when the stream has gone as far.
                awaitVictimUnderWay(taken, 2 + v, 2_000 + 3_000 * v, (long) messages * (v + 1) / (victims + 2));
                POSIXFactory.getPOSIX().kill((int) victim.pid().getAsLong(), SIGKILL);
                assertTrue(victim.join(CHILD_TIMEOUT));
                assertEquals(-SIGKILL, victim.exitCode().getAsInt());
            }
            producer.join(CHILD_TIMEOUT.toMillis());
            queue.put(null);
            queue.put(null);
            for (ChildProcess survivor : survivors) {
                Children.assertExitsCleanly(survivor, CHILD_TIMEOUT);
            }
        }
        assertTrue(taken.get(0) > 0 && taken.get(1) > 0, "both survivors took part");
        int missing = 0;
        int[] deliveries = seen.toArray();
        for (int id = 0; id < messages; id++) {
            assertTrue(deliveries[id] <= 1, "message " + id + " was delivered " + deliveries[id] + " times");
            missing += 1 - deliveries[id];
        }
        assertTrue(missing <= victims, missing + " messages lost; at most one per killed consumer may be");
        assertTrue(queue.isEmpty());
        queue.put(-1);
        assertEquals(-1, queue.get(Duration.ofSeconds(10)), "the queue still works");
    }

    /** Records each message it gets; a kill between the get and the record loses that one message. */
    static void consumeUntilNull(Queue<Integer> queue, SharedIntArray seen, SharedIntArray taken, int slot)
            throws InterruptedException {
        while (true) {
            Integer id = queue.get();
            if (id == null) {
                return;
            }
            seen.incrementAndGet(id);
            taken.incrementAndGet(slot);
        }
    }

    @Test
    void aProducerKilledMidStreamLeavesExactlyWhatItHadPutInOrder() throws Exception {
        int perProducer = 40_000;
        // Bounded: a put that returned is in the shared buffer, not in the producer's heap.
        try (Queue<Long> queue = new Queue<>(500); SharedLongArray lastPut = SharedLongArray.createRaw(new long[] {-1, -1})) {
            produceWhileKillingOne(queue, lastPut, perProducer);
        }
    }

    @Test
    void aProducerKilledMidStreamOnAGrowingQueueLeavesExactlyWhatItHadPutInOrder() throws Exception {
        int perProducer = 400_000; // many, so that the victim is still putting when the kill lands
        // Unbounded with a tiny ring: producers move between the ring and chunks every few hundred puts.
        try (Queue<Long> queue = new Queue<>(0, 4096); SharedLongArray lastPut = SharedLongArray.createRaw(new long[] {-1, -1})) {
            produceWhileKillingOne(queue, lastPut, perProducer);
        }
    }

    private static void produceWhileKillingOne(Queue<Long> queue, SharedLongArray lastPut, int perProducer)
            throws Exception {
        List<Long> received = new ArrayList<>();
        long victimLastPut;
        try (Children children = new Children()) {
            // The victim last: it is under way before this thread watches it only if it boots faster than a start() returns.
            ChildProcess survivor = children.start(() -> produceRecording(queue, lastPut, 1, perProducer));
            ChildProcess victim = children.start(() -> produceRecording(queue, lastPut, 0, perProducer));
            if (queue.maxsize() == 0) {
                // Puts do not wait for this consumer: kill as soon as the victim is under way.
                long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
                while (lastPut.get(0) < 5_000 && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
            }
            while (lastPut.get(0) < 5_000) {
                Long got = queue.poll(CHILD_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                assertTrue(got != null, "messages keep coming");
                received.add(got);
            }
            long atKill = lastPut.get(0);
            victim.kill();
            assertTrue(victim.join(CHILD_TIMEOUT));
            victimLastPut = lastPut.get(0);
            assertEquals(-SIGKILL, victim.exitCode().getAsInt(), "killed at " + atKill + ", last " + victimLastPut);
            while (survivor.isAlive() || !queue.isEmpty()) {
                Long got = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (got != null) {
                    received.add(got);
                }
            }
            Children.assertExitsCleanly(survivor, CHILD_TIMEOUT);
        }
        List<Long> fromVictim = new ArrayList<>();
        List<Long> fromSurvivor = new ArrayList<>();
        for (long id : received) {
            (id < perProducer ? fromVictim : fromSurvivor).add(id);
        }
        for (int i = 0; i < fromVictim.size(); i++) {
            assertEquals(i, fromVictim.get(i), "the killed producer's messages: each once, in order, no gap");
        }
        long extra = fromVictim.size() - (victimLastPut + 1);
        assertTrue(extra == 0 || extra == 1, "every put that returned arrived (" + (victimLastPut + 1)
                + "), plus at most the one in progress at the kill: " + fromVictim.size());
        assertEquals(perProducer, fromSurvivor.size());
        for (int i = 0; i < perProducer; i++) {
            assertEquals(perProducer + i, fromSurvivor.get(i));
        }
    }

    static void produceRecording(Queue<Long> queue, SharedLongArray lastPut, int producer, int count)
            throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.put((long) producer * count + i);
            lastPut.set(producer, i);
        }
    }

    private static void awaitVictimUnderWay(SharedIntArray counts, int slot, int atLeast, long totalAtLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (counts.get(slot) < atLeast && total(counts) < totalAtLeast) {
            assertTrue(System.nanoTime() < deadline, "consumer " + slot + " took only " + counts.get(slot)
                    + ", all " + total(counts));
            Thread.sleep(1);
        }
    }

    private static long total(SharedIntArray counts) {
        long total = 0;
        for (int slot = 0; slot < counts.length(); slot++) {
            total += counts.get(slot);
        }
        return total;
    }
}
