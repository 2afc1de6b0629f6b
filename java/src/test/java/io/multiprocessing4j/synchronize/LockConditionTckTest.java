package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the JSR-166 TCK checks of {@code ReentrantLock} and its conditions, asked of {@link Lock} and
 * {@link RLock} as {@code java.util.concurrent.locks.Lock}s. Where Python's semantics differ (a
 * {@code Lock} is not reentrant and any thread may release it), the difference is what is checked;
 * the README lists the deviations.
 */
@Timeout(60)
class LockConditionTckTest {
    private static final long SHORT_MILLIS = 50;

    static List<Supplier<ProcessLock>> locks() {
        return List.of(Lock::new, RLock::new);
    }

    /** Runs {@code body} in another thread and waits for it. */
    private static void inOtherThread(Runnable body) throws Exception {
        CompletableFuture.runAsync(body).get(30, TimeUnit.SECONDS);
    }

    /** A thread that starts {@code body} and is given time to block in it. */
    private static Thread blockedIn(ThrowingRunnable body, AtomicBoolean interrupted) throws InterruptedException {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                interrupted.set(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        awaitWaiting(thread);
        return thread;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING
                && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING,
                "the thread does not wait: " + thread.getState());
    }

    @ParameterizedTest
    @MethodSource("locks")
    void lockAndUnlock(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get()) {
            lock.lock();
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
            assertFalse(lock.isHeldByCurrentThread());
            assertTrue(lock.toString().endsWith("[unlocked]"), lock.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void tryLockFailsWhileAnotherThreadHoldsIt(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get()) {
            lock.lock();
            inOtherThread(() -> {
                assertFalse(lock.tryLock());
                try {
                    long began = System.nanoTime();
                    assertFalse(lock.tryLock(SHORT_MILLIS, TimeUnit.MILLISECONDS));
                    assertTrue(System.nanoTime() - began >= TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS),
                            "a timed tryLock waits its time out");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            lock.unlock();
            inOtherThread(() -> {
                assertTrue(lock.tryLock());
                lock.unlock();
            });
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void lockInterruptiblyIsInterruptedAndDoesNotTakeTheLock(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get()) {
            lock.lock();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread waiter = blockedIn(lock::lockInterruptibly, interrupted);
            waiter.interrupt();
            waiter.join(10_000);
            assertTrue(interrupted.get());
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
            assertTrue(lock.tryLock(), "the interrupted waiter did not take the lock");
            lock.unlock();
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void timedTryLockIsInterrupted(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get()) {
            lock.lock();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread waiter = blockedIn(() -> lock.tryLock(1, TimeUnit.DAYS), interrupted);
            waiter.interrupt();
            waiter.join(10_000);
            assertTrue(interrupted.get());
            lock.unlock();
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void aWaitingLockIsTakenWhenReleased(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get()) {
            lock.lock();
            AtomicBoolean took = new AtomicBoolean();
            Thread waiter = blockedIn(() -> {
                lock.lock();
                took.set(true);
                lock.unlock();
            }, new AtomicBoolean());
            assertFalse(took.get());
            lock.unlock();
            waiter.join(10_000);
            assertTrue(took.get());
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void unlockingALockNotHeldThrows(Supplier<ProcessLock> make) {
        try (ProcessLock lock = make.get()) {
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
        }
    }

    @org.junit.jupiter.api.Test
    void anRLockIsReentrantAndOnlyItsOwnerMayReleaseIt() throws Exception {
        try (RLock lock = new RLock()) {
            lock.lock();
            lock.lock();
            assertTrue(lock.tryLock());
            inOtherThread(() -> assertThrows(IllegalMonitorStateException.class, lock::unlock));
            lock.unlock();
            lock.unlock();
            assertTrue(lock.isHeldByCurrentThread(), "held until every acquire is matched");
            lock.unlock();
            assertFalse(lock.isHeldByCurrentThread());
        }
    }

    @org.junit.jupiter.api.Test
    void aLockIsNotReentrantAndAnyThreadMayReleaseIt() throws Exception {
        // Python's Lock: the deviations from ReentrantLock that the README lists.
        try (Lock lock = new Lock()) {
            lock.lock();
            assertFalse(lock.tryLock(), "a Lock is not reentrant");
            assertFalse(lock.tryLock(SHORT_MILLIS, TimeUnit.MILLISECONDS));
            inOtherThread(lock::unlock);
            assertFalse(lock.isHeldByCurrentThread());
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void conditionCallsWithoutTheLockThrow(Supplier<ProcessLock> make) {
        try (ProcessLock lock = make.get(); Condition condition = lock.newCondition()) {
            assertThrows(IllegalMonitorStateException.class, condition::await);
            assertThrows(IllegalMonitorStateException.class, () -> condition.awaitNanos(1));
            assertThrows(IllegalMonitorStateException.class, condition::signal);
            assertThrows(IllegalMonitorStateException.class, condition::signalAll);
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void timedAwaitsTimeOutHoldingTheLock(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get(); Condition condition = lock.newCondition()) {
            lock.lock();
            assertTrue(condition.awaitNanos(TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS)) <= 0);
            assertFalse(condition.await(SHORT_MILLIS, TimeUnit.MILLISECONDS));
            assertFalse(condition.awaitUntil(new Date(System.currentTimeMillis() + SHORT_MILLIS)));
            assertTrue(condition.awaitNanos(-1) <= 0, "a negative time does not wait");
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void signalWakesOneWaiterAndSignalAllWakesEvery(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get(); Condition condition = lock.newCondition()) {
            AtomicInteger woken = new AtomicInteger();
            CountDownLatch waiting = new CountDownLatch(3);
            Thread[] waiters = new Thread[3];
            for (int i = 0; i < waiters.length; i++) {
                waiters[i] = new Thread(() -> {
                    lock.lock();
                    try {
                        waiting.countDown();
                        condition.await();
                        assertTrue(lock.isHeldByCurrentThread(), "await returns holding the lock");
                        woken.incrementAndGet();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        lock.unlock();
                    }
                });
                waiters[i].start();
            }
            assertTrue(waiting.await(10, TimeUnit.SECONDS));
            for (Thread waiter : waiters) {
                awaitWaiting(waiter);
            }
            lock.lock();
            condition.signal();
            lock.unlock();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (woken.get() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(SHORT_MILLIS);
            assertEquals(1, woken.get(), "signal wakes exactly one");
            lock.lock();
            condition.signalAll();
            lock.unlock();
            for (Thread waiter : waiters) {
                waiter.join(10_000);
            }
            assertEquals(3, woken.get());
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void anInterruptedAwaitThrowsHoldingTheLockAgain(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get(); Condition condition = lock.newCondition()) {
            AtomicBoolean heldWhenInterrupted = new AtomicBoolean();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread waiter = blockedIn(() -> {
                lock.lock();
                try {
                    condition.await();
                } catch (InterruptedException e) {
                    heldWhenInterrupted.set(lock.isHeldByCurrentThread());
                    throw e;
                } finally {
                    lock.unlock();
                }
            }, interrupted);
            waiter.interrupt();
            waiter.join(10_000);
            assertTrue(interrupted.get());
            assertTrue(heldWhenInterrupted.get(), "the lock is held again before InterruptedException");
        }
    }

    @ParameterizedTest
    @MethodSource("locks")
    void awaitUninterruptiblyGoesOnAndKeepsTheInterrupt(Supplier<ProcessLock> make) throws Exception {
        try (ProcessLock lock = make.get(); Condition condition = lock.newCondition()) {
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread waiter = blockedIn(() -> {
                lock.lock();
                try {
                    condition.awaitUninterruptibly();
                    interruptKept.set(Thread.currentThread().isInterrupted());
                } finally {
                    lock.unlock();
                }
            }, new AtomicBoolean());
            waiter.interrupt();
            Thread.sleep(SHORT_MILLIS);
            assertTrue(waiter.isAlive(), "an interrupt does not end awaitUninterruptibly");
            lock.lock();
            condition.signal();
            lock.unlock();
            waiter.join(10_000);
            assertFalse(waiter.isAlive());
            assertTrue(interruptKept.get());
        }
    }
}
