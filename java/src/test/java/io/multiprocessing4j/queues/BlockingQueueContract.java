package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link BlockingQueue} contract, checked the way the JSR-166 TCK's BlockingQueueTest and
 * LinkedBlockingQueueTest check it; run against {@link Queue} (bounded and unbounded, the unbounded
 * one with a ring small enough to grow) and {@link JoinableQueue} by the {@code *ContractTest}
 * classes beside this one. The deviations that remain are asserted as such in
 * {@link Contract#deviations()} and listed in the README: nulls are accepted (they
 * are Python's None), elements come back as copies, not the same objects, and what other processes
 * could change under the caller (peek, iteration, contains, remove(Object), toArray) is unsupported.
 */
abstract class BlockingQueueContract {
    static final int SIZE = 20;
    /** Long enough never to expire in a test; the TCK's LONG_DELAY_MS in spirit. */
    static final long LONG_DELAY_MS = 10_000;
    static final long SHORT_DELAY_MS = 50;

    @Timeout(60)
    abstract static class Contract {
        final List<Queue<?>> created = new ArrayList<>();

        abstract Queue<Integer> newQueue();

        private Queue<Integer> queue() {
            Queue<Integer> queue = newQueue();
            created.add(queue);
            return queue;
        }

        private Queue<Integer> populated(int n) throws InterruptedException {
            Queue<Integer> queue = queue();
            for (int i = 0; i < n; i++) {
                queue.put(i);
            }
            return queue;
        }

        private boolean bounded(Queue<Integer> queue) {
            return queue.maxsize() > 0;
        }

        @AfterEach
        void closeQueues() {
            created.forEach(Queue::close);
        }

        @Test
        void elementsComeOutInTheOrderTheyWentIn() throws Exception {
            Queue<Integer> queue = queue();
            int count = bounded(queue) ? SIZE : 2_000; // an unbounded one grows past its ring
            for (int i = 0; i < count; i++) {
                if (i % 3 == 0) {
                    assertTrue(queue.offer(i));
                } else if (i % 3 == 1) {
                    assertTrue(queue.add(i));
                } else {
                    queue.put(i);
                }
                assertEquals(i + 1, queue.size());
            }
            for (int i = 0; i < count; i++) {
                assertEquals(i, i % 2 == 0 ? queue.take() : queue.poll());
                assertEquals(count - i - 1, queue.size());
            }
            assertTrue(queue.isEmpty());
            assertNull(queue.poll());
        }

        @Test
        void sizeAndEmptinessAreExactAtRest() throws Exception {
            Queue<Integer> queue = queue();
            assertTrue(queue.isEmpty());
            assertEquals(0, queue.size());
            int count = bounded(queue) ? SIZE : 5_000;
            for (int i = 0; i < count; i++) {
                queue.add(i);
            }
            assertFalse(queue.isEmpty());
            assertEquals(count, queue.size());
            assertEquals(count, queue.qsize());
            assertEquals(bounded(queue), queue.isFull());
        }

        @Test
        void remainingCapacityIsTheBoundMinusTheSize() throws Exception {
            Queue<Integer> queue = queue();
            if (!bounded(queue)) {
                assertEquals(Integer.MAX_VALUE, queue.remainingCapacity());
                queue.put(1);
                assertEquals(Integer.MAX_VALUE, queue.remainingCapacity());
                return;
            }
            for (int i = 0; i < SIZE; i++) {
                assertEquals(SIZE - i, queue.remainingCapacity());
                queue.add(i);
            }
            assertEquals(0, queue.remainingCapacity());
            queue.remove();
            assertEquals(1, queue.remainingCapacity());
        }

        @Test
        void aFullQueueRefusesOfferAndAddAndTimesOutAPut() throws Exception {
            Queue<Integer> queue = populated(SIZE);
            assumeTrue(bounded(queue), "an unbounded queue is never full");
            assertFalse(queue.offer(SIZE));
            assertThrows(IllegalStateException.class, () -> queue.add(SIZE));
            long began = System.nanoTime();
            assertFalse(queue.offer(SIZE, SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
            assertTrue(millisSince(began) >= SHORT_DELAY_MS);
            assertThrows(Full.class, () -> queue.putNowait(SIZE));
            assertEquals(SIZE, queue.size(), "nothing was put");
        }

        @Test
        void anEmptyQueueTimesOutAPoll() throws Exception {
            Queue<Integer> queue = queue();
            assertNull(queue.poll());
            long began = System.nanoTime();
            assertNull(queue.poll(SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
            assertTrue(millisSince(began) >= SHORT_DELAY_MS);
            assertThrows(NoSuchElementException.class, queue::remove);
            assertThrows(Empty.class, queue::getNowait);
        }

        @Test
        void negativeTimeoutsMeanZero() throws Exception {
            Queue<Integer> queue = queue();
            long began = System.nanoTime();
            assertNull(queue.poll(-1, TimeUnit.SECONDS));
            assertNull(queue.poll(Long.MIN_VALUE, TimeUnit.NANOSECONDS));
            assertThrows(Empty.class, () -> queue.get(java.time.Duration.ofSeconds(-1)));
            assertTrue(queue.offer(1, -1, TimeUnit.SECONDS));
            queue.put(2, java.time.Duration.ofMillis(-5));
            assertEquals(1, queue.poll(-1, TimeUnit.MILLISECONDS));
            assertEquals(2, queue.get(java.time.Duration.ofSeconds(-1)));
            if (bounded(queue)) {
                for (int i = 0; i < SIZE; i++) {
                    queue.put(i);
                }
                assertFalse(queue.offer(SIZE, -1, TimeUnit.DAYS));
                assertThrows(Full.class, () -> queue.put(SIZE, java.time.Duration.ofSeconds(-1)));
            }
            assertTrue(millisSince(began) < LONG_DELAY_MS / 2, "nothing waited");
        }

        @Test
        void anInterruptedThreadIsRefusedAtOnceWhateverTheTimeout() throws Exception {
            Queue<Integer> queue = populated(2);
            List<ThrowingRunnable> calls = List.of(
                    queue::take,
                    () -> queue.poll(0, TimeUnit.NANOSECONDS),
                    () -> queue.poll(-1, TimeUnit.NANOSECONDS),
                    () -> queue.poll(LONG_DELAY_MS, TimeUnit.MILLISECONDS),
                    () -> queue.offer(7, 0, TimeUnit.NANOSECONDS),
                    () -> queue.offer(7, -1, TimeUnit.NANOSECONDS),
                    () -> queue.offer(7, LONG_DELAY_MS, TimeUnit.MILLISECONDS),
                    () -> queue.put(7),
                    queue::get,
                    () -> queue.get(java.time.Duration.ZERO),
                    () -> queue.put(7, java.time.Duration.ZERO));
            for (ThrowingRunnable call : calls) {
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, call::run);
                assertFalse(Thread.interrupted(), "the interrupt status is cleared when the exception is thrown");
            }
            assertEquals(2, queue.size(), "nothing was taken or put");
            assertEquals(0, queue.take());
        }

        @Test
        void aTakeBlockedOnAnEmptyQueueIsInterrupted() throws Exception {
            Queue<Integer> queue = queue();
            assertInterruptedWhileBlocked(queue::take);
            assertInterruptedWhileBlocked(() -> queue.poll(LONG_DELAY_MS, TimeUnit.MILLISECONDS));
        }

        @Test
        void aPutBlockedOnAFullQueueIsInterrupted() throws Exception {
            Queue<Integer> queue = populated(SIZE);
            assumeTrue(bounded(queue), "an unbounded queue is never full");
            assertInterruptedWhileBlocked(() -> queue.put(SIZE));
            assertInterruptedWhileBlocked(() -> queue.offer(SIZE, LONG_DELAY_MS, TimeUnit.MILLISECONDS));
            assertEquals(SIZE, queue.size());
        }

        @Test
        void aBlockedTakeGetsWhatAnotherThreadPuts() throws Exception {
            Queue<Integer> queue = queue();
            AtomicReference<Object> got = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            Thread taker = new Thread(() -> {
                started.countDown();
                try {
                    got.set(queue.poll(LONG_DELAY_MS, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    got.set(e);
                }
            });
            taker.start();
            started.await();
            Thread.sleep(SHORT_DELAY_MS);
            assertTrue(queue.offer(42, SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
            taker.join(LONG_DELAY_MS);
            assertEquals(42, got.get());
        }

        @Test
        void aBlockedPutGoesInWhenAnotherThreadTakes() throws Exception {
            Queue<Integer> queue = populated(SIZE);
            assumeTrue(bounded(queue), "an unbounded queue is never full");
            Thread putter = new Thread(() -> {
                try {
                    queue.put(SIZE);
                } catch (InterruptedException ignored) {
                    // the join below fails the test
                }
            });
            putter.start();
            Thread.sleep(SHORT_DELAY_MS);
            assertTrue(putter.isAlive(), "the put waits while the queue is full");
            assertEquals(0, queue.take());
            putter.join(LONG_DELAY_MS);
            assertFalse(putter.isAlive());
            for (int i = 1; i <= SIZE; i++) {
                assertEquals(i, queue.take());
            }
        }

        @Test
        void oneProducerAndOneConsumerThreadExchangeEverythingInOrder() throws Exception {
            Queue<Integer> queue = queue();
            int count = 20_000;
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        queue.put(i);
                    }
                } catch (InterruptedException ignored) {
                    // the consumer's timeout fails the test
                }
            });
            producer.start();
            for (int i = 0; i < count; i++) {
                assertEquals(i, queue.poll(LONG_DELAY_MS, TimeUnit.MILLISECONDS));
            }
            producer.join(LONG_DELAY_MS);
            assertTrue(queue.isEmpty());
        }

        @Test
        void drainToMovesWhatThereIsUpToTheLimit() throws Exception {
            Queue<Integer> queue = populated(SIZE);
            List<Integer> target = new ArrayList<>();
            assertEquals(0, queue.drainTo(target, 0));
            assertEquals(0, queue.drainTo(target, -1));
            assertEquals(SIZE, queue.size(), "a non-positive limit moves nothing");
            assertEquals(3, queue.drainTo(target, 3));
            assertEquals(SIZE - 3, queue.drainTo(target));
            assertEquals(0, queue.drainTo(target));
            for (int i = 0; i < SIZE; i++) {
                assertEquals(i, target.get(i));
            }
            assertThrows(NullPointerException.class, () -> queue.drainTo(null));
            assertThrows(NullPointerException.class, () -> queue.drainTo(null, 1));
            assertThrows(IllegalArgumentException.class, () -> queue.drainTo(queue));
            assertThrows(IllegalArgumentException.class, () -> queue.drainTo(queue, 1));
        }

        @Test
        void addAllAddsInOrderAndRefusesItself() throws Exception {
            Queue<Integer> queue = queue();
            assertThrows(NullPointerException.class, () -> queue.addAll(null));
            assertThrows(IllegalArgumentException.class, () -> queue.addAll(queue));
            assertTrue(queue.addAll(List.of(1, 2, 3)));
            assertEquals(3, queue.size());
            assertEquals(1, queue.take());
        }

        @Test
        void clearEmptiesTheQueue() throws Exception {
            Queue<Integer> queue = queue();
            for (int i = 0; i < (bounded(queue) ? SIZE : 1_000); i++) {
                queue.put(i);
            }
            queue.clear();
            assertTrue(queue.isEmpty());
            assertEquals(0, queue.size());
            assertNull(queue.poll());
            queue.put(1);
            assertEquals(1, queue.take());
            if (queue instanceof JoinableQueue) {
                assertEquals(1, ((JoinableQueue<Integer>) queue).unfinishedTasks(), "cleared tasks count as done");
            }
        }

        @Test
        void deviations() throws Exception {
            Queue<Integer> queue = queue();
            // Nulls are messages (Python's None), not refused with NullPointerException.
            assertTrue(queue.offer(null));
            queue.put(null);
            assertEquals(2, queue.size());
            assertNull(queue.poll());
            assertNull(queue.take());
            // Elements are copies: equal, not the same object.
            Queue<Object> objects = new Queue<>();
            created.add(objects);
            List<String> sent = new ArrayList<>(List.of("a"));
            objects.put(sent);
            sent.add("changed after the put");
            Object received = objects.take();
            assertNotSame(sent, received);
            assertEquals(List.of("a"), received);
            // What another process could change under the caller is unsupported.
            assertThrows(UnsupportedOperationException.class, queue::peek);
            assertThrows(UnsupportedOperationException.class, queue::element);
            assertThrows(UnsupportedOperationException.class, queue::iterator);
            assertThrows(UnsupportedOperationException.class, () -> queue.contains(1));
            assertThrows(UnsupportedOperationException.class, () -> queue.remove((Object) 1));
            assertThrows(UnsupportedOperationException.class, queue::toArray);
            assertThrows(UnsupportedOperationException.class, () -> queue.toArray(new Integer[0]));
            assertThrows(UnsupportedOperationException.class, () -> queue.containsAll(List.of()));
            assertThrows(UnsupportedOperationException.class, () -> queue.removeAll(List.of(1)));
            assertThrows(UnsupportedOperationException.class, () -> queue.retainAll(List.of(1)));
            assertTrue(queue.toString().contains("qsize=0"), queue.toString());
        }

        private static void assertInterruptedWhileBlocked(ThrowingRunnable call) throws Exception {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread blocked = new Thread(() -> {
                try {
                    call.run();
                    outcome.set(new AssertionError("returned instead of waiting"));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            blocked.start();
            // A thread in a native wait may show RUNNABLE, so its state cannot say it waits: give it
            // time to get there, so that the interrupt hits the wait and not the check on entry.
            Thread.sleep(200);
            assertTrue(blocked.isAlive(), "the call waits");
            blocked.interrupt();
            blocked.join(LONG_DELAY_MS);
            assertFalse(blocked.isAlive(), "the interrupt released the blocked thread");
            assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        }

        private static long millisSince(long began) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
