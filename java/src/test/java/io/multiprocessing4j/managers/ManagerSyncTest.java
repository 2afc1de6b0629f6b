package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ReapChildren;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every synchronization and queue proxy of a manager, used from a child process, a pool task and threads here. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
@Timeout(180)
class ManagerSyncTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** One of each proxy, travelling as one captured value. */
    record Bag(LockProxy lock, LockProxy rLock, SemaphoreProxy semaphore, SemaphoreProxy bounded,
            ConditionProxy condition, EventProxy event, BarrierProxy barrier, QueueProxy<String> queue,
            QueueProxy<String> joinable, ArrayProxy<Integer> array, ValueProxy<String> value, ListProxy<String> list)
            implements Serializable {
        static Bag of(Manager m) {
            return new Bag(m.lock(), m.rLock(), m.semaphore(2), m.boundedSemaphore(1), m.condition(), m.event(),
                    m.barrier(2), m.queue(), m.joinableQueue(), m.array(new int[] {0, 0}), m.value("start"), m.list());
        }
    }

    /** What the other process does with each proxy; the parent's side is in {@link #meet}. */
    static void useEveryProxy(Bag b, String who) throws Exception {
        b.lock().lock();
        try {
            check(b.lock().isHeldByCurrentThread(), "lock held");
            b.list().add(who);
        } finally {
            b.lock().unlock();
        }
        b.rLock().lock();
        b.rLock().lock();
        check(b.rLock().getHoldCount() == 2, "rlock held twice");
        b.rLock().unlock();
        b.rLock().unlock();
        check(b.semaphore().acquire(BOUND), "a unit of the semaphore");
        try {
            b.bounded().release();
            check(false, "a bounded semaphore refuses a release above its value");
        } catch (IllegalStateException expected) {
            // as in Python: ValueError
        }
        b.queue().put(who);
        check("task".equals(b.joinable().get(BOUND)), "the task the parent put");
        b.joinable().taskDone();
        b.array().set(1, 42);
        b.value().set(who);
        try (var held = b.condition().hold()) {
            b.list().add("cond:" + who);
            b.condition().signalAll();
        }
        b.event().set();
        b.barrier().await(BOUND);
    }

    /** The parent's side of {@link #useEveryProxy}, then what it checks. */
    private static void meet(Bag b, String who) throws Exception {
        b.condition().acquire();
        try {
            assertTrue(b.condition().waitFor(() -> b.list().contains("cond:" + who), BOUND), "notified by " + who);
        } finally {
            b.condition().release();
        }
        assertTrue(b.event().await(BOUND));
        int index = b.barrier().await(BOUND);
        assertTrue(index == 0 || index == 1, "index " + index);
        assertEquals(who, b.queue().get(BOUND));
        assertTrue(b.joinable().join(BOUND), "the task was marked done");
        assertEquals(List.of(0, 42), b.array().copy());
        assertEquals(who, b.value().get());
        assertEquals(1, b.semaphore().getValue());
        assertFalse(b.lock().isLocked());
        assertFalse(b.rLock().isLocked());
        assertTrue(b.list().contains(who));
    }

    @Test
    void everyProxyFromAChildProcess() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            Bag bag = Bag.of(manager);
            bag.joinable().put("task");
            var child = children.start(() -> useEveryProxy(bag, "child"));
            meet(bag, "child");
            Children.assertExitsCleanly(child, BOUND);
        }
    }

    @Test
    void everyProxyFromAPoolTask() throws Exception {
        try (Manager manager = Manager.start(); Pool pool = new Pool(1)) {
            Bag bag = Bag.of(manager);
            bag.joinable().put("task");
            AsyncResult<Boolean> task = pool.applyAsync(() -> {
                useEveryProxy(bag, "task");
                return true;
            });
            meet(bag, "task");
            assertTrue(task.get(BOUND));
        }
    }

    @Test
    void lockSemanticsAsInPython() throws Exception {
        try (Manager manager = Manager.start()) {
            LockProxy lock = manager.lock();
            assertThrows(IllegalMonitorStateException.class, lock::release, "releasing an unlocked Lock");
            assertTrue(lock.tryLock());
            assertFalse(lock.tryLock(), "a Lock is not reentrant");
            Thread other = new Thread(lock::unlock); // any thread may release a Lock
            other.start();
            other.join();
            assertFalse(lock.isLocked());

            LockProxy rLock = manager.rLock();
            try (var held = rLock.hold()) {
                assertTrue(rLock.tryLock(), "an RLock is reentrant");
                assertEquals(2, rLock.getHoldCount());
                rLock.unlock();
                List<Throwable> failures = new ArrayList<>();
                Thread stranger = new Thread(() -> {
                    try {
                        rLock.unlock();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                    failures.add(new AssertionError(rLock.tryLock() ? "taken by a stranger" : "refused"));
                });
                stranger.start();
                stranger.join();
                assertTrue(failures.get(0) instanceof IllegalMonitorStateException, failures.toString());
                assertEquals("refused", failures.get(1).getMessage());
            }
            assertFalse(rLock.isLocked());
        }
    }

    @Test
    void semaphoresConditionsAndBarriersBetweenThreads() throws Exception {
        try (Manager manager = Manager.start()) {
            SemaphoreProxy semaphore = manager.semaphore(1);
            assertTrue(semaphore.tryAcquire());
            assertFalse(semaphore.acquire(Duration.ofMillis(150)));
            semaphore.release();
            semaphore.release();
            assertEquals(2, semaphore.getValue(), "an unbounded semaphore goes above its initial value");

            LockProxy lock = manager.lock();
            ConditionProxy condition = lock.newCondition();
            ValueProxy<Integer> state = manager.value(0);
            Thread waiter = new Thread(() -> {
                try {
                    lock.lock();
                    try {
                        condition.waitFor(() -> state.get() == 1);
                        state.set(2);
                        condition.signalAll();
                    } finally {
                        lock.unlock();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            lock.lock();
            try {
                state.set(1);
                condition.signal();
                assertTrue(condition.waitFor(() -> state.get() == 2, BOUND));
                assertFalse(condition.await(50, TimeUnit.MILLISECONDS), "no notify: times out, holding the lock again");
                assertTrue(lock.isLocked());
            } finally {
                lock.unlock();
            }
            waiter.join(BOUND.toMillis());
            assertThrows(IllegalMonitorStateException.class, condition::signal, "notify without the lock");

            BarrierProxy barrier = manager.barrier(3);
            Set<Integer> indexes = ConcurrentHashMap.newKeySet();
            List<Thread> parties = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Thread party = new Thread(() -> {
                    try {
                        indexes.add(barrier.await(BOUND));
                    } catch (InterruptedException | BrokenBarrierException e) {
                        indexes.add(-1);
                    }
                });
                party.start();
                parties.add(party);
            }
            indexes.add(barrier.await(BOUND));
            for (Thread party : parties) {
                party.join(BOUND.toMillis());
            }
            assertEquals(Set.of(0, 1, 2), indexes);
            assertEquals(3, barrier.parties());
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofMillis(100)),
                    "alone at the barrier: times out and breaks it, as in Python");
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, barrier::await);
            barrier.reset();
            assertFalse(barrier.isBroken());
        }
    }

    @Test
    void queuesAsPythonAndAsBlockingQueues() throws Exception {
        try (Manager manager = Manager.start()) {
            QueueProxy<Integer> queue = manager.queue(2);
            BlockingQueue<Integer> blocking = queue;
            queue.put(1);
            assertTrue(blocking.offer(2));
            assertFalse(blocking.offer(3), "full");
            assertThrows(Full.class, () -> queue.putNowait(3));
            assertThrows(Full.class, () -> queue.put(3, Duration.ofMillis(100)));
            assertTrue(queue.isFull());
            assertEquals(0, queue.remainingCapacity());
            assertEquals(List.of(1, 2), new ArrayList<>(queue), "a snapshot, in order");
            assertEquals(1, blocking.take());
            assertEquals(2, blocking.poll(1, TimeUnit.SECONDS));
            assertEquals(null, blocking.poll());
            assertThrows(Empty.class, queue::getNowait);
            assertThrows(Empty.class, () -> queue.get(Duration.ofMillis(100)));
            queue.put(null);
            assertEquals(1, queue.qsize());
            assertEquals(null, queue.get(), "null is an item, as Python's None");
            assertThrows(UnsupportedOperationException.class, queue::taskDone, "a plain queue is not joinable");

            QueueProxy<String> joinable = manager.joinableQueue();
            joinable.put("a");
            joinable.put("b");
            assertFalse(joinable.join(Duration.ofMillis(100)));
            List<String> drained = new ArrayList<>();
            assertEquals(2, joinable.drainTo(drained));
            joinable.taskDone();
            assertEquals(1, joinable.unfinishedTasks());
            joinable.taskDone();
            assertTrue(joinable.join(Duration.ofSeconds(1)));
            assertThrows(IllegalStateException.class, joinable::taskDone, "task_done() called too many times");

            ValueProxy<Integer> typed = manager.value(Integer.class, 1);
            typed.set(2);
            @SuppressWarnings({"unchecked", "rawtypes"})
            ValueProxy<Object> untypedValue = (ValueProxy) typed;
            assertThrows(ClassCastException.class, () -> untypedValue.set("two"), "a typed value refuses another type");
            assertThrows(ClassCastException.class, () -> typed.set(null));
            assertEquals(2, typed.get());

            ArrayProxy<Double> array = manager.array(new double[] {1.5, 2.5});
            assertEquals(2, array.size());
            assertEquals(1.5, array.set(0, 3.0));
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<Object> untyped = (List) array;
            assertThrows(ClassCastException.class, () -> untyped.set(1, "text"), "a typed array refuses another type");
            assertThrows(UnsupportedOperationException.class, () -> array.add(1.0), "fixed length");
            assertEquals(List.of(3.0, 2.5), array);
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
