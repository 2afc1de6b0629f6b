package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.manager.ManagerConnection;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.ReapChildren;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A waiting proxy call is one request that waits in the server for the caller's whole timeout,
 * with no slices: an interrupt cancels it there at once (the connection stays in step, and an
 * item that won the race is returned, never lost), a timeout costs exactly one request, and a
 * client that dies while waiting is noticed by the server at once.
 */
@ExtendWith(ReapChildren.class)
@Timeout(180)
class ManagerWaitTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** Generous: the release takes well under a millisecond unloaded; the slices it replaces took up to 100 ms. */
    private static final long INTERRUPT_BOUND_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    interface Call {
        void run() throws Exception;
    }

    /** A blocking call, and a call that shows its connection is in step after the interrupt. */
    private record Blocking(Call call, Call after) {
    }

    @Test
    void anInterruptReleasesEveryWaitingCallAtOnceAndItsConnectionStaysInStep() throws Exception {
        try (Manager manager = Manager.start()) {
            Map<String, Blocking> cases = blockingCalls(manager);
            List<String> figures = new ArrayList<>();
            for (Map.Entry<String, Blocking> c : cases.entrySet()) {
                CompletableFuture<Long> interruptedAt = new CompletableFuture<>();
                Thread waiter = new Thread(() -> {
                    try {
                        c.getValue().call().run();
                        interruptedAt.completeExceptionally(new AssertionError("returned without the interrupt"));
                    } catch (InterruptedException expected) {
                        long at = System.nanoTime();
                        try {
                            c.getValue().after().run();
                            interruptedAt.complete(at);
                        } catch (Throwable t) {
                            interruptedAt.completeExceptionally(new AssertionError("the next call failed", t));
                        }
                    } catch (Throwable t) {
                        interruptedAt.completeExceptionally(t);
                    }
                }, "waiting-" + c.getKey());
                waiter.start();
                assertTrue(Eventually.within(BOUND, () -> isWaitingForAnAnswer(waiter)), c.getKey() + " waits");
                Thread.sleep(50); // its request is in the server, waiting there
                assertTrue(isWaitingForAnAnswer(waiter), c.getKey() + " still waits");
                long before = System.nanoTime();
                waiter.interrupt();
                long latency = interruptedAt.get(BOUND.toSeconds(), TimeUnit.SECONDS) - before;
                waiter.join(BOUND.toMillis());
                figures.add(String.format("%s %.3f ms", c.getKey(), latency / 1e6));
                assertTrue(latency < INTERRUPT_BOUND_NANOS, c.getKey() + " released after " + latency / 1e6 + " ms");
            }
            System.out.println("interrupt to InterruptedException, manager proxies (loaded machine: noisy): " + figures);
        }
    }

    /** Each waiting call, blocked until interrupted, and a call after it over the same connection. */
    private static Map<String, Blocking> blockingCalls(Manager manager) throws Exception {
        Map<String, Blocking> cases = new LinkedHashMap<>();
        QueueProxy<Integer> queue = manager.queue();
        cases.put("queue get", new Blocking(queue::get, () -> {
            queue.put(1);
            assertEquals(1, queue.get());
        }));
        QueueProxy<Integer> full = manager.queue(1);
        full.put(0);
        cases.put("queue put on a full queue", new Blocking(() -> full.put(1), () -> {
            assertEquals(0, full.get());
            assertTrue(full.isEmpty(), "the interrupted put put nothing");
        }));
        QueueProxy<Integer> joinable = manager.joinableQueue();
        joinable.put(1);
        cases.put("queue join", new Blocking(joinable::join, () -> {
            joinable.get();
            joinable.taskDone();
            assertTrue(joinable.join(BOUND));
        }));
        LockProxy lock = manager.lock();
        lock.lock(); // held by this thread
        cases.put("lock", new Blocking(lock::lockInterruptibly, () -> assertFalse(lock.tryLock())));
        SemaphoreProxy semaphore = manager.semaphore(0);
        cases.put("semaphore", new Blocking(semaphore::acquire, () -> {
            semaphore.release();
            assertTrue(semaphore.acquire(BOUND));
        }));
        EventProxy event = manager.event();
        cases.put("event", new Blocking(event::await, () -> assertFalse(event.await(Duration.ofMillis(1)))));
        ConditionProxy condition = manager.condition();
        cases.put("condition", new Blocking(() -> {
            try (LockProxy.Held held = condition.hold()) {
                condition.await();
            }
        }, () -> {
            try (LockProxy.Held held = condition.hold()) {
                assertFalse(condition.await(Duration.ofMillis(1)));
            }
        }));
        BarrierProxy barrier = manager.barrier(2);
        cases.put("barrier", new Blocking(barrier::await, () -> {
            assertTrue(barrier.isBroken(), "an interrupted waiter breaks the barrier, as in Python");
            barrier.reset();
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofMillis(1)));
        }));
        PoolProxy pool = manager.pool(1);
        Future<Integer> slow = pool.applyAsync(() -> {
            Thread.sleep(120_000);
            return 1;
        });
        cases.put("pool result", new Blocking(slow::get,
                () -> assertThrows(TimeoutException.class, () -> slow.get(1, TimeUnit.MILLISECONDS))));
        return cases;
    }

    @Test
    void aTimedWaitIsOneRequestThatWaitsTheWholeTimeout() throws Exception {
        try (Manager manager = Manager.start()) {
            Duration timeout = Duration.ofSeconds(2);
            Map<String, Call> waits = new LinkedHashMap<>();
            Map<String, Integer> requests = new LinkedHashMap<>();
            QueueProxy<Integer> queue = manager.queue();
            waits.put("queue get", () -> assertThrows(Empty.class, () -> queue.get(timeout)));
            QueueProxy<Integer> full = manager.queue(1);
            full.put(0);
            waits.put("queue put", () -> assertFalse(full.offer(1, timeout.toMillis(), TimeUnit.MILLISECONDS)));
            QueueProxy<Integer> joinable = manager.joinableQueue();
            joinable.put(1);
            waits.put("queue join", () -> assertFalse(joinable.join(timeout)));
            LockProxy lock = manager.lock();
            lock.lock();
            waits.put("lock", () -> assertFalse(lock.acquire(timeout)));
            SemaphoreProxy semaphore = manager.semaphore(0);
            waits.put("semaphore", () -> assertFalse(semaphore.acquire(timeout)));
            EventProxy event = manager.event();
            waits.put("event", () -> assertFalse(event.await(timeout)));
            PoolProxy pool = manager.pool(1);
            Future<Integer> slow = pool.applyAsync(() -> {
                Thread.sleep(120_000);
                return 1;
            });
            waits.put("pool result", () -> assertThrows(TimeoutException.class,
                    () -> slow.get(timeout.toMillis(), TimeUnit.MILLISECONDS)));
            for (String name : waits.keySet()) {
                requests.put(name, 1);
            }
            ConditionProxy condition = manager.condition();
            waits.put("condition", () -> {
                try (LockProxy.Held held = condition.hold()) {
                    assertFalse(condition.await(timeout));
                }
            });
            requests.put("condition", 5); // acquire, beginWait, awaitNotify, endWait, release
            BarrierProxy barrier = manager.barrier(2);
            waits.put("barrier", () -> assertThrows(BrokenBarrierException.class, () -> barrier.await(timeout)));
            requests.put("barrier", 3); // arrive, awaitTrip, abort

            ManagerConnection connection = ManagerConnection.of(manager.address(), manager.authkey());
            long before = connection.operationsRequested();
            Map<String, CompletableFuture<Long>> elapsed = new LinkedHashMap<>();
            for (Map.Entry<String, Call> w : waits.entrySet()) {
                CompletableFuture<Long> done = new CompletableFuture<>();
                elapsed.put(w.getKey(), done);
                new Thread(() -> {
                    long start = System.nanoTime();
                    try {
                        w.getValue().run();
                        done.complete(System.nanoTime() - start);
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                }, "timed-" + w.getKey()).start();
            }
            List<String> figures = new ArrayList<>();
            for (Map.Entry<String, CompletableFuture<Long>> e : elapsed.entrySet()) {
                long nanos = e.getValue().get(BOUND.toSeconds(), TimeUnit.SECONDS);
                figures.add(String.format("%s %.3f s", e.getKey(), nanos / 1e9));
                assertTrue(nanos >= timeout.toNanos(), e.getKey() + " waited the whole timeout: " + nanos / 1e9 + " s");
            }
            long after = connection.operationsRequested();
            int expected = requests.values().stream().mapToInt(Integer::intValue).sum();
            System.out.println("timed waits of " + timeout + " at once: " + figures + "; requests: " + (after - before));
            assertEquals(expected, after - before, "one request per wait, whatever its timeout: " + requests);
        }
    }

    /**
     * Whether an item handed over as the waiter is interrupted is returned or left in the queue,
     * never lost, and the interrupted getter's connection stays in step for the next call.
     */
    @Test
    void anInterruptRacingAPutLosesNothing() throws Exception {
        try (Manager manager = Manager.start()) {
            QueueProxy<Integer> queue = manager.queue();
            int returned = 0;
            int interrupted = 0;
            for (int i = 0; i < 300; i++) {
                int item = i;
                CompletableFuture<Object> outcome = new CompletableFuture<>();
                Thread getter = new Thread(() -> {
                    try {
                        outcome.complete(queue.get());
                    } catch (InterruptedException e) {
                        outcome.complete("interrupted");
                    } catch (Throwable t) {
                        outcome.completeExceptionally(t);
                    }
                });
                getter.start();
                if (i % 2 == 0) { // now and then, the getter's request waits in the server already
                    assertTrue(Eventually.within(BOUND, () -> isWaitingForAnAnswer(getter)));
                }
                queue.put(item);
                long spin = System.nanoTime() + ThreadLocalRandom.current().nextInt(200_000);
                while (i % 3 == 0 && System.nanoTime() < spin) {
                    Thread.onSpinWait();
                }
                getter.interrupt();
                Object got = outcome.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                getter.join(BOUND.toMillis());
                if ("interrupted".equals(got)) {
                    interrupted++;
                    assertEquals(item, queue.get(Duration.ofSeconds(10)), "the item is still in the queue");
                } else {
                    returned++;
                    assertEquals(item, got);
                    assertTrue(queue.isEmpty(), "taken once");
                }
            }
            System.out.println("interrupt racing a put: item returned " + returned + " times, left in the queue "
                    + interrupted + " times");
            queue.put(-1);
            assertEquals(-1, queue.get(Duration.ofSeconds(10)), "the connections are in step");
        }
    }

    /**
     * A client killed while its get waits: the server ends that wait at once (its connection's
     * end), so an item put just after the death goes to the living, not to the dead client's
     * wait (which would take it and fail to answer).
     */
    @Test
    void aClientKilledWhileWaitingIsNoticedAtOnce() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            QueueProxy<String> queue = manager.queue();
            EventProxy started = manager.event();
            for (int round = 0; round < 3; round++) {
                started.clear();
                ChildProcess child = children.start(() -> {
                    started.set();
                    queue.get();
                    System.exit(5); // got something: the test fails on the exit code
                });
                assertTrue(started.await(BOUND));
                Thread.sleep(300); // the child's get waits in the server
                child.kill();
                assertEquals(-9, Children.join(child, BOUND));
                Thread.sleep(20); // the server hears of it in well under a millisecond
                queue.put("item " + round);
                assertEquals("item " + round, queue.get(Duration.ofSeconds(5)), "the item was not taken by the dead client");
            }
        }
    }

    private static boolean isWaitingForAnAnswer(Thread thread) {
        Thread.State state = thread.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.RUNNABLE)
                && List.of(thread.getStackTrace()).stream().anyMatch(f -> f.getMethodName().contains("recv"));
    }
}
