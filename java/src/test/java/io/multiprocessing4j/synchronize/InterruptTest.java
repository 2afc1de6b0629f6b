package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Children;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A thread blocked on a primitive responds to Thread.interrupt() promptly. */
class InterruptTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    /** Something that blocks; returns normally only if it was not interrupted. */
    interface Blocking {
        void run() throws Exception;
    }

    /** Runs {@code blocking} on a thread, interrupts it, and returns what it threw (null if nothing). */
    private static Throwable interruptWhile(Blocking blocking) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                blocking.run();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        thread.start();
        Thread.sleep(200);
        assertFalse(outcome.isDone(), "it blocks");
        long interrupted = System.nanoTime();
        thread.interrupt();
        Throwable result = outcome.get(30, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interrupted);
        assertTrue(ms < 1_000, "responded after " + ms + " ms");
        return result;
    }

    @Test
    void aBlockedAcquireOfALockHeldByAnotherProcessIsInterrupted() throws Exception {
        Lock lock = new Lock();
        Event holding = new Event();
        Event done = new Event();
        try (Children children = new Children()) {
            children.start(() -> LockTest.holdUntil(lock, holding, done));
            assertTrue(holding.await(CHILD_TIMEOUT));
            assertTrue(interruptWhile(lock::acquire) instanceof InterruptedException);
            assertTrue(interruptWhile(lock::lockInterruptibly) instanceof InterruptedException);
            assertTrue(interruptWhile(() -> lock.tryLock(30, TimeUnit.SECONDS)) instanceof InterruptedException);
            assertFalse(lock.isHeldByCurrentThread());
            done.set();
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
    }

    @Test
    void lockIgnoresInterruptsButKeepsThemPending() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            lock.lock();
            stillInterrupted.complete(Thread.currentThread().isInterrupted());
            lock.unlock();
        });
        thread.start();
        Thread.sleep(200);
        thread.interrupt();
        Thread.sleep(200);
        assertFalse(stillInterrupted.isDone(), "lock() goes on waiting");
        lock.release();
        assertTrue(stillInterrupted.get(30, TimeUnit.SECONDS));
    }

    @Test
    void semaphoreEventConditionAndBarrierWaitsAreInterrupted() throws Exception {
        Semaphore semaphore = new Semaphore(0);
        assertTrue(interruptWhile(semaphore::acquire) instanceof InterruptedException);
        Event event = new Event();
        assertTrue(interruptWhile(event::await) instanceof InterruptedException);
        Condition condition = new Condition();
        assertTrue(interruptWhile(() -> {
            try (var held = condition.hold()) {
                condition.await();
            }
        }) instanceof InterruptedException);
        assertEquals(0, condition.getLock().holderPid(), "the condition's lock was given back");
        Barrier barrier = new Barrier(2);
        assertTrue(interruptWhile(barrier::await) instanceof InterruptedException);
        assertTrue(barrier.isBroken(), "an interrupted party breaks the barrier, as in CyclicBarrier");
        try {
            barrier.await();
        } catch (BrokenBarrierException expected) {
            return;
        }
        throw new AssertionError("broken barrier let a party through");
    }
}
