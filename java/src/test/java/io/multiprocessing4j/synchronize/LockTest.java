package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.SharedCounter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void incrementsUnderTheLockFromSeveralProcessesComeOutExact() throws Exception {
        Lock lock = new Lock();
        SharedCounter counter = new SharedCounter();
        int processes = 4;
        int increments = 20_000;
        try (Children children = new Children()) {
            for (int i = 0; i < processes; i++) {
                children.start(() -> incrementUnderLock(lock, counter, increments));
            }
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals((long) processes * increments, counter.get());
        assertFalse(lock.isHeldByCurrentThread());
        assertTrue(lock.tryLock(), "the lock is free again");
        lock.unlock();
    }

    static void incrementUnderLock(Lock lock, SharedCounter counter, int increments) throws InterruptedException {
        for (int i = 0; i < increments; i++) {
            if ((i & 1) == 0) {
                lock.acquire();
                try {
                    counter.plainIncrement();
                } finally {
                    lock.release();
                }
            } else {
                try (var held = lock.hold()) {
                    counter.plainIncrement();
                }
            }
        }
    }

    @Test
    void acquiringALockHeldByAnotherProcessTimesOutAfterAboutTheTimeout() throws Exception {
        Lock lock = new Lock();
        Event holding = new Event();
        Event done = new Event();
        try (Children children = new Children()) {
            ChildProcess child = children.start(() -> holdUntil(lock, holding, done));
            assertTrue(holding.await(CHILD_TIMEOUT));
            assertEquals(child.pid().getAsLong(), lock.holderPid());

            assertFalse(lock.tryLock(), "non-blocking attempt on a held lock");
            assertFalse(lock.acquire(false));
            long began = System.nanoTime();
            assertFalse(lock.acquire(Duration.ofMillis(300)));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertTrue(waited >= 295 && waited < 1_800, "waited " + waited + " ms for a 300 ms timeout");

            began = System.nanoTime();
            assertFalse(lock.tryLock(150, TimeUnit.MILLISECONDS));
            waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertTrue(waited >= 145 && waited < 1_650, "waited " + waited + " ms for a 150 ms timeout");

            done.set();
            assertTrue(lock.acquire(Duration.ofSeconds(30)), "the holder released it");
            lock.release();
            Children.assertExitsCleanly(child, CHILD_TIMEOUT);
        }
    }

    static void holdUntil(ProcessLock lock, Event holding, Event done) throws InterruptedException {
        lock.acquire();
        holding.set();
        done.await();
        lock.release();
    }

    @Test
    void anyProcessMayReleaseAHeldLock() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(lock::release), CHILD_TIMEOUT);
        }
        assertEquals(0, lock.holderPid());
        assertTrue(lock.tryLock());
        lock.release();
    }

    @Test
    void releasingAnUnheldLockThrowsWithPythonsMessage() throws Exception {
        Lock lock = new Lock();
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::release);
        assertEquals("semaphore or lock released too many times", e.getMessage());
        // ... in another process too, and nothing is lost: the lock still works
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(() -> releaseMustFail(lock)), CHILD_TIMEOUT);
        }
        assertTrue(lock.tryLock());
        lock.release();
    }

    static void releaseMustFail(Lock lock) {
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::release);
        assertEquals("semaphore or lock released too many times", e.getMessage());
    }

    @Test
    void implementsJavaUtilConcurrentLock() throws Exception {
        java.util.concurrent.locks.Lock lock = new Lock();
        lock.lock();
        assertTrue(((Lock) lock).isHeldByCurrentThread());
        assertFalse(lock.tryLock(), "not re-entrant");
        lock.unlock();
        assertTrue(lock.tryLock(10, TimeUnit.MILLISECONDS));
        lock.unlock();
        lock.lockInterruptibly();
        lock.unlock();
        assertNotNull(lock.newCondition());
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    void anotherThreadOfTheSameProcessWaitsToo() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        boolean[] got = new boolean[1];
        Thread other = new Thread(() -> got[0] = lock.tryLock());
        other.start();
        other.join();
        assertFalse(got[0]);
        lock.release();
    }

    @Test
    void badInputIsRefusedAtTheCall() throws Exception {
        Lock lock = new Lock();
        assertThrows(NullPointerException.class, () -> lock.acquire((Duration) null));
        assertTrue(lock.acquire(Duration.ZERO), "a zero timeout is a non-blocking attempt");
        lock.release();
    }

    @Test
    void useAfterCloseIsAnIllegalState() {
        Lock lock = new Lock();
        lock.close();
        lock.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::tryLock);
        assertEquals("Lock is closed", e.getMessage());
        assertThrows(IllegalStateException.class, lock::release);
        assertThrows(IllegalStateException.class, lock::lock);
        ProcessStartException notSent = assertThrows(ProcessStartException.class,
                () -> new ChildProcess(lock::release).start());
        assertTrue(notSent.getMessage().contains("Lock is closed"), notSent.getMessage());
    }
}
