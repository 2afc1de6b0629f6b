package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.synchronize.Lock;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A queue's own semantics, seen from one process (the cross-process ones are in QueueAcrossProcessesTest). */
class QueueTest {
    /** A Serializable value type that has no fast encoding. */
    record Point(int x, int y) implements Serializable {
    }

    /** Something Java serialization refuses. */
    static final class NotSerializable {
    }

    @Test
    void messagesOfEveryKindComeOutInTheOrderTheyWentIn() throws Exception {
        Queue<Object> queue = new Queue<>();
        byte[] bytes = {1, 2, 3, -1};
        byte[] large = new byte[200_000]; // more than a quarter of the buffer: it travels out of line
        new java.util.Random(7).nextBytes(large);
        List<Object> sent = Arrays.asList(null, true, false, (byte) -7, (short) 300, 'x', 42, -5L, 1.5f, Math.PI,
                "", "plain", "non-ASCII é ✓ 𝄞", "lone \ud800 surrogate", bytes, new Point(3, 4), large,
                List.of(1, 2, 3), Integer.MIN_VALUE, Long.MAX_VALUE, Double.NaN, -0.0, Float.MIN_VALUE, Character.MAX_VALUE);
        for (Object item : sent) {
            queue.put(item);
        }
        assertEquals(sent.size(), queue.qsize());
        for (Object expected : sent) {
            Object got = queue.get();
            if (expected instanceof byte[]) {
                assertArrayEquals((byte[]) expected, (byte[]) got);
            } else {
                assertEquals(expected, got);
                if (expected != null) {
                    assertEquals(expected.getClass(), got.getClass());
                }
            }
        }
        assertTrue(queue.isEmpty());
        queue.close();
    }

    @Test
    void aMessageLargerThanTheWholeBufferGoesThrough() throws Exception {
        Queue<byte[]> queue = new Queue<>(0, 4096);
        byte[] large = new byte[3 << 20];
        new java.util.Random(11).nextBytes(large);
        queue.put(large);
        queue.put(new byte[] {9});
        assertArrayEquals(large, queue.get(Duration.ofSeconds(30)));
        assertArrayEquals(new byte[] {9}, queue.get(Duration.ofSeconds(30)));
        queue.close();
    }

    @Test
    void theObjectIsTakenAtThePutSoLaterChangesAreNotDelivered() throws Exception {
        Queue<Object> queue = new Queue<>();
        byte[] bytes = {1, 2, 3};
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        queue.put(bytes);
        queue.put(list);
        bytes[0] = 99;
        list.add("b");
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) queue.get());
        assertEquals(List.of("a"), queue.get());
        queue.close();
    }

    @Test
    void anUnserializableObjectFailsAtThePutInTheCallerAndChangesNothing() throws Exception {
        JoinableQueue<Object> queue = new JoinableQueue<>();
        queue.put("before");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue.put(new NotSerializable()));
        assertTrue(e.getMessage().contains(NotSerializable.class.getName()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.putNowait(List.of(new NotSerializable())));
        assertFalse(assertThrows(IllegalArgumentException.class, () -> queue.offer(new Object())).getMessage().isEmpty());
        assertEquals(1, queue.qsize());
        assertEquals(1, queue.unfinishedTasks(), "failed puts add no task");
        queue.put("after");
        assertEquals("before", queue.get());
        assertEquals("after", queue.get());
        queue.close();
    }

    @Test
    void objectsHoldingFileDescriptorsCannotTravelInAQueue() throws Exception {
        Queue<Object> queue = new Queue<>();
        Lock lock = new Lock();
        Queue<Object> other = new Queue<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue.put(lock));
        assertTrue(e.getMessage().contains("captured by a ChildProcess target"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.put(other));
        assertTrue(queue.isEmpty());
        queue.close();
        other.close();
        lock.close();
    }

    @Test
    void getOnAnEmptyQueueRaisesEmptyAfterAboutTheTimeout() throws Exception {
        Queue<String> queue = new Queue<>();
        assertThrows(Empty.class, queue::getNowait);
        assertThrows(Empty.class, () -> queue.get(false, Duration.ofSeconds(10)));
        long began = System.nanoTime();
        assertThrows(Empty.class, () -> queue.get(Duration.ofMillis(300)));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(waited >= 295 && waited < 1_800, "waited " + waited + " ms for a 300 ms timeout");

        began = System.nanoTime();
        assertNull(queue.poll(150, TimeUnit.MILLISECONDS));
        waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(waited >= 145 && waited < 1_650, "waited " + waited + " ms for a 150 ms timeout");
        assertNull(queue.poll());
        queue.close();
    }

    @Test
    void putOnAFullQueueRaisesFullAfterAboutTheTimeout() throws Exception {
        Queue<Integer> queue = new Queue<>(2);
        queue.put(1);
        queue.put(2, Duration.ofSeconds(1));
        assertTrue(queue.isFull());
        assertThrows(Full.class, () -> queue.putNowait(3));
        assertThrows(Full.class, () -> queue.put(3, false, null));
        assertFalse(queue.offer(3));
        assertThrows(IllegalStateException.class, () -> queue.add(3));
        long began = System.nanoTime();
        assertThrows(Full.class, () -> queue.put(3, Duration.ofMillis(300)));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(waited >= 295 && waited < 1_800, "waited " + waited + " ms for a 300 ms timeout");

        began = System.nanoTime();
        assertFalse(queue.offer(3, 150, TimeUnit.MILLISECONDS));
        waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(waited >= 145 && waited < 1_650, "waited " + waited + " ms for a 150 ms timeout");

        assertEquals(2, queue.qsize(), "the failed puts left nothing behind");
        assertEquals(1, queue.get());
        assertFalse(queue.isFull());
        queue.putNowait(3);
        assertEquals(List.of(2, 3), List.of(queue.get(), queue.get()));
        queue.close();
    }

    @Test
    void aBlockedPutGoesOnOnceAGetMakesRoom() throws Exception {
        Queue<Integer> queue = new Queue<>(1);
        queue.put(1);
        CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
            long began = System.nanoTime();
            try {
                queue.put(2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return System.nanoTime() - began;
        });
        Thread.sleep(200);
        assertFalse(blocked.isDone(), "put waits while maxsize messages are queued");
        assertEquals(1, queue.get());
        long waitedNanos = blocked.get(10, TimeUnit.SECONDS);
        assertTrue(waitedNanos >= TimeUnit.MILLISECONDS.toNanos(190));
        assertEquals(2, queue.get(Duration.ofSeconds(1)));
        queue.close();
    }

    @Test
    void aPutWaitingForRoomInTheBufferGoesOnSoonAfterATake() throws Exception {
        int count = 1_000; // about four times what a 4 KiB buffer holds
        try (SimpleQueue<Integer> queue = new SimpleQueue<>(4096)) {
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        queue.put(i);
                        done.set(i + 1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            int stalledAt;
            do {
                stalledAt = done.get();
                Thread.sleep(100);
            } while (done.get() != stalledAt);
            assertTrue(stalledAt > 0 && stalledAt < count, "the producer waits for room after " + stalledAt);
            long began = System.nanoTime();
            assertEquals(0, queue.get(), "one small message taken: room for one more");
            while (done.get() == stalledAt) {
                assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(1), "the waiting put went on");
                Thread.sleep(1);
            }
            for (int i = 1; i < count; i++) {
                assertEquals(i, queue.get());
            }
            producer.join(10_000);
        }
    }

    @Test
    void qsizeEmptyFullAndRemainingCapacityFollowTheContents() throws Exception {
        Queue<String> bounded = new Queue<>(3);
        assertEquals(0, bounded.qsize());
        assertTrue(bounded.isEmpty());
        assertFalse(bounded.isFull());
        assertEquals(3, bounded.remainingCapacity());
        bounded.put("a");
        bounded.put("b");
        assertEquals(2, bounded.qsize());
        assertEquals(2, bounded.size());
        assertFalse(bounded.isEmpty());
        assertEquals(1, bounded.remainingCapacity());
        bounded.put("c");
        assertTrue(bounded.isFull());
        assertEquals(3, bounded.maxsize());
        bounded.get();
        assertEquals(2, bounded.qsize());
        bounded.close();

        Queue<String> unbounded = new Queue<>(-1);
        assertEquals(0, unbounded.maxsize(), "maxsize <= 0 is unbounded, as in Python");
        assertEquals(Integer.MAX_VALUE, unbounded.remainingCapacity());
        assertFalse(unbounded.isFull());
        unbounded.close();
    }

    /**
     * An unbounded queue with a small ring grows in shared memory: what was put is counted, taken
     * and drained at once, in order (the queue used to keep most of it in the producer's heap, where
     * size(), poll() and drainTo() did not see it), and a drained queue gives its chunks back.
     */
    @Test
    void anUnboundedPutNeverWaitsForConsumersAndEverythingPutIsInTheQueueAtOnce() throws Exception {
        // Chunks of queues dropped by earlier tests of this JVM may still be mapped: not this queue's.
        java.util.Set<String> earlier = chunksMapped();
        Queue<Integer> queue = new Queue<>(0, 4096); // room for about 250 small messages
        int count = 20_000;
        long began = System.nanoTime();
        for (int i = 0; i < count; i++) {
            queue.put(i);
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(tookMs < 30_000, "puts took " + tookMs + " ms with no consumer");
        assertEquals(count, queue.qsize(), "every message put is in the queue");
        assertFalse(queue.isEmpty());
        assertFalse(chunksMappedSince(earlier).isEmpty(), "the queue grew by chunks in /dev/shm");
        List<Integer> drained = new ArrayList<>();
        for (int i = 0; i < count / 2; i++) {
            assertEquals(i, queue.poll());
        }
        assertEquals(count / 2, queue.size());
        assertEquals(count / 2, queue.drainTo(drained));
        for (int i = 0; i < count / 2; i++) {
            assertEquals(count / 2 + i, drained.get(i));
        }
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.size());
        assertNull(queue.poll());
        assertEquals(java.util.Set.of(), chunksMappedSince(earlier), "a drained queue keeps no chunk");
        queue.put(-1); // and goes on in its ring
        assertEquals(-1, queue.take());
        queue.close();
        queue.joinThread();
    }

    /** The overflow chunks (named "<prefix>..._<number>") this process maps. */
    private static java.util.Set<String> chunksMapped() throws Exception {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
                .filter(line -> line.matches(".*/dev/shm/mp4j_[a-z2-7]{26}_\\d+( \\(deleted\\))?$"))
                .map(line -> line.substring(line.indexOf("/dev/shm/")).replace(" (deleted)", ""))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The chunks this process maps now and did not map when {@code earlier} was taken. */
    private static java.util.Set<String> chunksMappedSince(java.util.Set<String> earlier) throws Exception {
        java.util.Set<String> now = chunksMapped();
        now.removeAll(earlier);
        return now;
    }

    @Test
    void theBlockingQueueViewTakesPollsAndDrains() throws Exception {
        java.util.concurrent.BlockingQueue<Integer> queue = new Queue<>(10);
        assertTrue(queue.offer(1));
        assertTrue(queue.offer(2, 1, TimeUnit.SECONDS));
        queue.put(3);
        assertTrue(queue.add(4));
        assertEquals(1, queue.take());
        assertEquals(2, queue.poll());
        assertEquals(3, queue.poll(1, TimeUnit.SECONDS));
        assertEquals(4, queue.remove());
        assertThrows(java.util.NoSuchElementException.class, queue::remove);
        for (int i = 0; i < 6; i++) {
            queue.put(i);
        }
        List<Integer> drained = new ArrayList<>();
        assertEquals(2, queue.drainTo(drained, 2));
        assertEquals(4, queue.drainTo(drained));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), drained);
        assertThrows(IllegalArgumentException.class, () -> queue.drainTo(queue));
        queue.addAll(List.of(7, 8));
        queue.clear();
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.size());
        ((Queue<Integer>) queue).close();
    }

    @Test
    void whatCannotBeHonestAcrossProcessesIsUnsupported() {
        Queue<Integer> queue = new Queue<>();
        assertThrows(UnsupportedOperationException.class, queue::iterator);
        assertThrows(UnsupportedOperationException.class, queue::peek);
        assertThrows(UnsupportedOperationException.class, queue::element);
        assertThrows(UnsupportedOperationException.class, () -> queue.contains(1));
        assertThrows(UnsupportedOperationException.class, () -> queue.remove((Object) 1));
        assertThrows(UnsupportedOperationException.class, queue::toArray);
        assertThrows(UnsupportedOperationException.class, () -> queue.toArray(new Integer[0]));
        assertThrows(UnsupportedOperationException.class, () -> queue.removeIf(x -> true));
        assertThrows(UnsupportedOperationException.class, () -> queue.stream().count());
        assertTrue(queue.toString().startsWith("Queue["), queue.toString());
        queue.close();
    }

    @Test
    void aClosedQueueRefusesUseAndJoinThreadRequiresClose() throws Exception {
        Queue<String> queue = new Queue<>();
        assertThrows(IllegalStateException.class, queue::joinThread);
        queue.put("left behind");
        queue.close();
        queue.close();
        queue.joinThread();
        assertEquals("Queue is closed",
                assertThrows(IllegalStateException.class, () -> queue.put("x")).getMessage());
        assertThrows(IllegalStateException.class, queue::get);
        assertThrows(IllegalStateException.class, queue::getNowait);
        assertThrows(IllegalStateException.class, queue::poll);
        assertThrows(IllegalStateException.class, queue::qsize);
        assertThrows(IllegalStateException.class, queue::isEmpty);
        assertEquals("Queue[closed]", queue.toString());

        SimpleQueue<String> simple = new SimpleQueue<>();
        simple.close();
        assertThrows(IllegalStateException.class, () -> simple.put("x"));
        assertThrows(IllegalStateException.class, simple::get);
    }

    @Test
    void taskDoneCalledMoreOftenThanItemsWerePutIsAnError() throws Exception {
        JoinableQueue<String> queue = new JoinableQueue<>();
        queue.put("a");
        queue.put("b");
        assertEquals(2, queue.unfinishedTasks());
        assertFalse(queue.join(Duration.ofMillis(50)));
        queue.get();
        queue.taskDone();
        queue.get();
        queue.taskDone();
        assertTrue(queue.join(Duration.ofSeconds(1)));
        queue.join();
        IllegalStateException e = assertThrows(IllegalStateException.class, queue::taskDone);
        assertEquals("taskDone() called too many times", e.getMessage());
        assertEquals(0, queue.unfinishedTasks(), "the over-call changed nothing");
        queue.put("c");
        assertEquals(1, queue.unfinishedTasks());
        queue.clear();
        assertEquals(0, queue.unfinishedTasks(), "cleared messages count as done");
        queue.close();
    }

    @Test
    void aThreadBlockedInGetCanBeInterrupted() throws Exception {
        Queue<String> queue = new Queue<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                queue.get();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        waiter.start();
        // Interrupt it only once it is waiting inside get(): an interrupt that arrives before
        // would test only the check on entry.
        assertTrue(Eventually.within(Duration.ofSeconds(5), () -> isWaitingIn(waiter, Queue.class.getName(), "get")),
                "the thread did not come to wait in get()");
        waiter.interrupt();
        assertTrue(outcome.get(5, TimeUnit.SECONDS) instanceof InterruptedException);
        queue.close();
    }

    @Test
    void closingAQueueEndsAGetAndAPutWaitingInOtherThreads() throws Exception {
        Queue<String> empty = new Queue<>(1);
        Queue<String> full = new Queue<>(1);
        full.put("only room for this");
        CompletableFuture<Throwable> get = outcomeOf(() -> empty.get());
        CompletableFuture<Throwable> put = outcomeOf(() -> full.put("no room"));
        Thread.sleep(100); // both are asleep by now: waits have no slices, only close() can end them
        empty.close();
        full.close();
        for (CompletableFuture<Throwable> outcome : List.of(get, put)) {
            Throwable t = outcome.get(5, TimeUnit.SECONDS);
            assertTrue(t instanceof IllegalStateException, String.valueOf(t));
            assertEquals("Queue is closed", t.getMessage());
        }
    }

    private static CompletableFuture<Throwable> outcomeOf(Blocking call) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                call.run();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return outcome;
    }

    private interface Blocking {
        void run() throws Exception;
    }

    @Test
    void aSimpleQueuePutsAndGetsInOrder() throws Exception {
        SimpleQueue<Object> queue = new SimpleQueue<>();
        assertTrue(queue.isEmpty());
        queue.put(null);
        queue.put("x");
        queue.put(new byte[100_000]);
        assertFalse(queue.isEmpty());
        assertNull(queue.get());
        assertEquals("x", queue.get());
        assertEquals(100_000, ((byte[]) queue.get()).length);
        assertTrue(queue.isEmpty());
        queue.close();
    }

    @Test
    void aBadBufferSizeIsRefusedClearly() {
        assertThrows(IllegalArgumentException.class, () -> new Queue<>(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new Queue<>(0, 1024));
        assertThrows(IllegalArgumentException.class, () -> new SimpleQueue<>(3 << 20));
    }

    /** Whether {@code thread} is blocked (in a native call, a sleep or a park) under {@code owner.method}. */
    private static boolean isWaitingIn(Thread thread, String owner, String method) {
        StackTraceElement[] stack = thread.getStackTrace();
        boolean inMethod = Arrays.stream(stack)
                .anyMatch(frame -> frame.getClassName().equals(owner) && frame.getMethodName().equals(method));
        Thread.State state = thread.getState();
        boolean blocked = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                || (stack.length > 0 && stack[0].isNativeMethod());
        return inMethod && blocked;
    }
}
