package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.sharedctypes.SharedIntArray;
import io.multiprocessing4j.sharedctypes.SharedLong;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.synchronize.Event;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queues shared by several processes: order, exactly-once delivery, bounds, joins. */
class QueueAcrossProcessesTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration GET_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void messagesFromAChildArriveInTheOrderItPutThem() throws Exception {
        int count = 20_000;
        // A small buffer, so records wrap around it many times.
        try (Queue<Object> queue = new Queue<>(0, 16 * 1024); Children children = new Children()) {
            ChildProcess child = children.start(() -> putSequence(queue, count));
            for (int i = 0; i < count; i++) {
                Object got = queue.get(GET_TIMEOUT);
                assertEquals(expectedSequenceItem(i), describe(got), "message " + i);
            }
            assertThrows(Empty.class, () -> queue.get(Duration.ofMillis(100)));
            Children.assertExitsCleanly(child, CHILD_TIMEOUT);
        }
    }

    /** Mostly ints, with strings and byte arrays (some larger than a quarter of the buffer) among them. */
    static void putSequence(Queue<Object> queue, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            if (i % 1000 == 999) {
                byte[] large = new byte[20_000];
                ByteBuffer.wrap(large).putInt(i);
                queue.put(large);
            } else if (i % 10 == 5) {
                queue.put("item " + i);
            } else {
                queue.put(i);
            }
        }
    }

    static String expectedSequenceItem(int i) {
        if (i % 1000 == 999) {
            return "bytes " + i;
        }
        return i % 10 == 5 ? "item " + i : Integer.toString(i);
    }

    static String describe(Object got) {
        if (got instanceof byte[]) {
            return "bytes " + ByteBuffer.wrap((byte[]) got).getInt();
        }
        return String.valueOf(got);
    }

    @Test
    void threeProducersAndThreeConsumersDeliverEveryMessageExactlyOnce() throws Exception {
        int producers = 3;
        int consumers = 3;
        int perProducer = 15_000;
        try (Queue<Object> queue = new Queue<>(0, 32 * 1024); Queue<long[]> results = new Queue<>();
                SharedIntArray seen = SharedIntArray.createRaw(producers * perProducer);
                Children children = new Children()) {
            List<ChildProcess> producing = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                producing.add(children.start(() -> produce(queue, producer, perProducer)));
            }
            for (int c = 0; c < consumers; c++) {
                children.start(() -> consume(queue, results, seen, producers, perProducer));
            }
            for (ChildProcess producer : producing) {
                Children.assertExitsCleanly(producer, CHILD_TIMEOUT);
            }
            for (int c = 0; c < consumers; c++) {
                queue.put(null); // one sentinel per consumer, behind every message of every producer
            }
            long count = 0;
            long sum = 0;
            long outOfOrder = 0;
            for (int c = 0; c < consumers; c++) {
                long[] result = results.get(CHILD_TIMEOUT);
                count += result[0];
                sum += result[1];
                outOfOrder += result[2];
            }
            children.assertAllExitCleanly(CHILD_TIMEOUT);

            long messages = (long) producers * perProducer;
            assertEquals(0, outOfOrder, "every consumer saw each producer's messages in the order they were put");
            assertEquals(messages, count, "as many deliveries as messages");
            assertEquals(messages * (messages - 1) / 2, sum, "the checksum of the ids delivered");
            int[] deliveries = seen.toArray();
            for (int id = 0; id < deliveries.length; id++) {
                assertEquals(1, deliveries[id], "deliveries of message " + id);
            }
            assertTrue(queue.isEmpty());
        }
    }

    /** Puts ids producer * perProducer + i in order: as Longs, some as Strings, some as large arrays. */
    static void produce(Queue<Object> queue, int producer, int perProducer) throws InterruptedException {
        for (int i = 0; i < perProducer; i++) {
            long id = (long) producer * perProducer + i;
            if (i % 97 == 0) {
                queue.put("id " + id);
            } else if (i % 1009 == 0) {
                byte[] large = new byte[9_000 + i]; // spilled out of the 32 KiB buffer
                ByteBuffer.wrap(large).putLong(id);
                queue.put(large);
            } else {
                queue.put(id);
            }
        }
    }

    static void consume(Queue<Object> queue, Queue<long[]> results, SharedIntArray seen, int producers, int perProducer)
            throws InterruptedException {
        long[] last = new long[producers];
        java.util.Arrays.fill(last, -1);
        long count = 0;
        long sum = 0;
        long outOfOrder = 0;
        while (true) {
            Object message = queue.get();
            if (message == null) {
                break;
            }
            long id;
            if (message instanceof String) {
                id = Long.parseLong(((String) message).substring(3));
            } else if (message instanceof byte[]) {
                id = ByteBuffer.wrap((byte[]) message).getLong();
            } else {
                id = (Long) message;
            }
            int producer = (int) (id / perProducer);
            if (id <= last[producer]) {
                outOfOrder++;
            }
            last[producer] = id;
            seen.incrementAndGet((int) id);
            count++;
            sum += id;
        }
        results.put(new long[] {count, sum, outOfOrder});
    }

    @Test
    void aBoundedQueueMakesAProducerWaitUntilAConsumerMakesRoom() throws Exception {
        try (Queue<Integer> queue = new Queue<>(3); Event finished = new Event(); Children children = new Children()) {
            ChildProcess child = children.start(() -> putThenSignal(queue, 20, finished));
            long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
            while (queue.qsize() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(300);
            assertEquals(3, queue.qsize(), "never more than maxsize messages");
            assertTrue(queue.isFull());
            assertFalse(finished.isSet(), "the producer waits for room");
            for (int i = 0; i < 20; i++) {
                assertEquals(i, queue.get(GET_TIMEOUT));
                assertTrue(queue.qsize() <= 3);
            }
            assertTrue(finished.await(CHILD_TIMEOUT));
            Children.assertExitsCleanly(child, CHILD_TIMEOUT);
        }
    }

    static void putThenSignal(Queue<Integer> queue, int count, Event finished) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.put(i);
        }
        finished.set();
    }

    @Test
    void joinWaitsUntilWorkersInOtherProcessesHaveDoneEveryTask() throws Exception {
        int workers = 2;
        int count = 300;
        try (JoinableQueue<Integer> tasks = new JoinableQueue<>(); SharedLong total = SharedLong.createRaw(0);
                Children children = new Children()) {
            for (int w = 0; w < workers; w++) {
                children.start(() -> work(tasks, total));
            }
            long expected = 0;
            for (int i = 1; i <= count; i++) {
                tasks.put(i);
                expected += i;
            }
            assertTrue(tasks.join(CHILD_TIMEOUT), "every task was done");
            assertEquals(expected, total.get(), "join returned only after every task's work was done");
            assertEquals(0, tasks.unfinishedTasks());
            for (int w = 0; w < workers; w++) {
                tasks.put(null);
            }
            tasks.join();
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
    }

    static void work(JoinableQueue<Integer> tasks, SharedLong total) throws InterruptedException {
        while (true) {
            Integer task = tasks.get();
            if (task == null) {
                tasks.taskDone();
                return;
            }
            Thread.sleep(task % 50 == 0 ? 5 : 0);
            total.getAndAdd(task);
            tasks.taskDone();
        }
    }

    @Test
    void joinInAChildWaitsForTasksDoneByTheParent() throws Exception {
        try (JoinableQueue<String> tasks = new JoinableQueue<>(); Event joined = new Event();
                Children children = new Children()) {
            tasks.put("a");
            tasks.put("b");
            ChildProcess child = children.start(() -> joinThenSignal(tasks, joined));
            assertFalse(joined.await(Duration.ofMillis(300)), "two tasks are unfinished");
            tasks.get();
            tasks.taskDone();
            assertFalse(joined.await(Duration.ofMillis(200)), "one task is unfinished");
            tasks.get();
            tasks.taskDone();
            assertTrue(joined.await(CHILD_TIMEOUT), "the child's join returned");
            Children.assertExitsCleanly(child, CHILD_TIMEOUT);
        }
    }

    static void joinThenSignal(JoinableQueue<String> tasks, Event joined) throws InterruptedException {
        tasks.join();
        joined.set();
    }

    @Test
    void aSimpleQueueCarriesMessagesBothWays() throws Exception {
        int count = 3_000; // many times what the 4 KiB buffers hold: puts wait for room
        try (SimpleQueue<String> requests = new SimpleQueue<>(4096); SimpleQueue<String> replies = new SimpleQueue<>(4096);
                Children children = new Children()) {
            ChildProcess child = children.start(() -> echo(requests, replies));
            Thread feeder = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        requests.put("request " + i);
                    }
                    requests.put(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            feeder.start();
            for (int i = 0; i < count; i++) {
                assertEquals("reply to request " + i, replies.get());
            }
            assertNull(replies.get());
            feeder.join(CHILD_TIMEOUT.toMillis());
            Children.assertExitsCleanly(child, CHILD_TIMEOUT);
            assertTrue(requests.isEmpty() && replies.isEmpty());
        }
    }

    static void echo(SimpleQueue<String> requests, SimpleQueue<String> replies) throws InterruptedException {
        while (true) {
            String request = requests.get();
            replies.put(request == null ? null : "reply to " + request);
            if (request == null) {
                return;
            }
        }
    }

    @Test
    void aLargeMessageFromAChildArrivesWhole() throws Exception {
        try (Queue<byte[]> queue = new Queue<>(); Children children = new Children()) {
            ChildProcess child = children.start(() -> putLarge(queue));
            byte[] got = queue.get(GET_TIMEOUT);
            assertEquals(5 << 20, got.length);
            byte[] expected = new byte[got.length];
            new java.util.Random(5).nextBytes(expected);
            assertArrayEquals(expected, got);
            Children.assertExitsCleanly(child, CHILD_TIMEOUT);
        }
    }

    static void putLarge(Queue<byte[]> queue) throws InterruptedException {
        byte[] data = new byte[5 << 20];
        new java.util.Random(5).nextBytes(data);
        queue.put(data);
    }
}
