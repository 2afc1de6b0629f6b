package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ReapChildren;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Waiting proxy calls: they never stall other threads' calls, interrupts and timeouts end them,
 * a client that dies holding a lock gives it back, and a shutdown ends them with a clear error.
 */
@InFaultSuite
@ProcessSemantics
@ExtendWith(ReapChildren.class)
@Timeout(180)
class ManagerBlockingTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void aThreadBlockedInGetDoesNotStallOtherProxyCalls() throws Exception {
        try (Manager manager = Manager.start()) {
            QueueProxy<String> queue = manager.queue();
            EventProxy event = manager.event();
            CompletableFuture<String> got = new CompletableFuture<>();
            CompletableFuture<Boolean> waited = new CompletableFuture<>();
            Thread getter = new Thread(() -> complete(got, queue::get), "blocked-get");
            Thread eventWaiter = new Thread(() -> complete(waited, event::await), "blocked-event");
            getter.start();
            eventWaiter.start();
            assertTrue(Eventually.within(BOUND, () -> getter.getState() != Thread.State.RUNNABLE || isInRecv(getter)));

            // meanwhile this thread's calls go through, many of them, while both threads wait
            ListProxy<Integer> list = manager.list();
            DictProxy<String, Integer> dict = manager.dict();
            LockProxy lock = manager.lock();
            for (int i = 0; i < 200; i++) {
                list.add(i);
                dict.put("k", i);
                lock.lock();
                lock.unlock();
            }
            assertEquals(200, list.size());
            assertFalse(got.isDone());
            assertFalse(waited.isDone());

            queue.put("item");
            event.set();
            assertEquals("item", got.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertTrue(waited.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        }
    }

    private static boolean isInRecv(Thread thread) {
        return List.of(thread.getStackTrace()).stream().anyMatch(f -> f.getMethodName().contains("recv"));
    }

    @Test
    void anInterruptEndsAWaitAndLosesNothing() throws Exception {
        try (Manager manager = Manager.start()) {
            QueueProxy<Integer> queue = manager.queue();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread getter = new Thread(() -> {
                try {
                    queue.get();
                    ended.set(new AssertionError("got an item from an empty queue"));
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            getter.start();
            assertTrue(Eventually.within(BOUND, () -> isInRecv(getter)), "the thread waits in get()");
            getter.interrupt();
            getter.join(BOUND.toMillis());
            assertFalse(getter.isAlive());
            assertTrue(ended.get() instanceof InterruptedException, String.valueOf(ended.get()));

            queue.put(7);
            assertEquals(7, queue.get(Duration.ofSeconds(5)), "the queue goes on, with nothing taken by the interrupted get");

            LockProxy lock = manager.lock();
            lock.lock();
            Thread locker = new Thread(() -> {
                try {
                    lock.lockInterruptibly();
                    ended.set(new AssertionError("took a held lock"));
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            locker.start();
            assertTrue(Eventually.within(BOUND, () -> isInRecv(locker)));
            locker.interrupt();
            locker.join(BOUND.toMillis());
            assertTrue(ended.get() instanceof InterruptedException, String.valueOf(ended.get()));
            lock.unlock();
            assertTrue(lock.tryLock(), "the interrupted waiter did not take the lock");
            lock.unlock();

            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> manager.event().await(), "an interrupt pending before the call");
            Thread.currentThread().interrupt();
            lock.lock(); // not interruptible: takes the lock, the interrupt stays pending
            assertTrue(Thread.interrupted());
            lock.unlock();
        }
    }

    @Test
    void timeoutsAnswerAsOnTheLocalPrimitives() throws Exception {
        try (Manager manager = Manager.start()) {
            Duration shortWait = Duration.ofMillis(250);
            QueueProxy<Integer> queue = manager.queue();
            long start = System.nanoTime();
            assertThrows(Empty.class, () -> queue.get(shortWait));
            assertTrue(System.nanoTime() - start >= shortWait.toNanos(), "waited the whole timeout");
            assertNull(queue.poll(100, TimeUnit.MILLISECONDS));
            assertFalse(manager.event().await(shortWait));
            SemaphoreProxy semaphore = manager.semaphore(0);
            assertFalse(semaphore.acquire(shortWait));
            LockProxy lock = manager.lock();
            lock.lock();
            CompletableFuture<Boolean> other = new CompletableFuture<>();
            Thread thread = new Thread(() -> complete(other, () -> lock.tryLock(300, TimeUnit.MILLISECONDS)));
            thread.start();
            assertFalse(other.get(BOUND.toSeconds(), TimeUnit.SECONDS), "a held lock times out");
            ConditionProxy condition = manager.condition();
            try (var held = condition.hold()) {
                assertFalse(condition.await(shortWait));
            }
            QueueProxy<Integer> joinable = manager.joinableQueue();
            joinable.put(1);
            assertFalse(joinable.join(shortWait));
        }
    }

    /** Python's manager keeps such a lock held for ever; ours gives it back when the holder's process goes. */
    @Test
    void aClientKilledHoldingALockGivesItBack() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            LockProxy lock = manager.lock();
            LockProxy rLock = manager.rLock();
            EventProxy holding = manager.event();
            ChildProcess holder = children.start(() -> {
                lock.lock();
                rLock.lock();
                rLock.lock();
                holding.set();
                Thread.sleep(120_000);
            });
            assertTrue(holding.await(BOUND), "the child took the locks");
            assertTrue(lock.isLocked());
            assertFalse(lock.tryLock(200, TimeUnit.MILLISECONDS), "held by the child");
            CompletableFuture<Boolean> waiter = new CompletableFuture<>();
            Thread thread = new Thread(() -> complete(waiter, () -> rLock.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)));
            thread.start();
            holder.kill();
            Children.join(holder, BOUND);
            assertTrue(waiter.get(BOUND.toSeconds(), TimeUnit.SECONDS), "a waiter got the dead holder's rlock");
            assertTrue(lock.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS), "the dead holder's lock is free");
            lock.unlock();
        }
    }

    @Test
    void shutdownWithClientsWaitingEndsTheirWaitWithAClearError() throws Exception {
        Manager manager = Manager.start();
        try (Children children = new Children()) {
            QueueProxy<String> queue = manager.queue();
            EventProxy started = manager.event();
            String address = manager.address().toString();
            ChildProcess child = children.start(() -> {
                started.set();
                try {
                    queue.get();
                } catch (IllegalStateException expected) {
                    check(expected.getMessage().contains(address), "names the manager: " + expected);
                    System.exit(3);
                }
            });
            assertTrue(started.await(BOUND));
            AtomicReference<Throwable> here = new AtomicReference<>();
            Thread getter = new Thread(() -> {
                try {
                    queue.get();
                } catch (Throwable t) {
                    here.set(t);
                }
            });
            getter.start();
            assertTrue(Eventually.within(BOUND, () -> isInRecv(getter)));
            Thread.sleep(200); // the child's get() waits in the server too by now
            manager.shutdown();
            assertEquals(3, Children.join(child, BOUND), "the child's get() failed with a clear error");
            getter.join(BOUND.toMillis());
            assertFalse(getter.isAlive());
            assertTrue(here.get() instanceof IllegalStateException, String.valueOf(here.get()));
            assertThrows(IllegalStateException.class, () -> queue.put("late"));

            ManagerProcess process = manager.process();
            assertTrue(process.join(BOUND));
            assertFalse(process.isAlive());
            assertEquals(0, process.exitCode().getAsInt(), "a clean shutdown exits with 0");
        } finally {
            manager.shutdown();
        }
    }

    @Test
    void theManagersProcessView() throws Exception {
        Manager manager = Manager.start();
        ManagerProcess process = manager.process();
        assertEquals(manager.pid().getAsLong(), process.pid());
        assertTrue(process.isAlive());
        assertTrue(process.exitCode().isEmpty());
        assertFalse(process.join(Duration.ofMillis(50)));
        assertTrue(process.name().startsWith("Manager-"), process.name());
        manager.shutdown();
        assertTrue(process.join(BOUND));
        assertEquals(0, process.exitCode().getAsInt());
        assertTrue(process.toString().contains("exitcode=0"), process.toString());

        Manager killed = Manager.start();
        try {
            killed.dict().put("k", 1);
            ProcessHandle.of(killed.pid().getAsLong()).orElseThrow().destroyForcibly();
            assertTrue(killed.process().join(BOUND));
            assertEquals(-9, killed.process().exitCode().getAsInt());
        } finally {
            killed.shutdown();
        }
        try (Manager connected = Manager.connect(manager.address(), manager.authkey())) {
            throw new AssertionError("connected to a manager that shut down: " + connected);
        } catch (java.io.IOException expected) {
            // nothing listens there any more
        }
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> void complete(CompletableFuture<T> future, Call<T> call) {
        try {
            future.complete(call.call());
        } catch (Throwable t) {
            future.completeExceptionally(t);
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
