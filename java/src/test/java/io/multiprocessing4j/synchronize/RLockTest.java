package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Children;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RLockTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void theOwningThreadReentersAndOtherProcessesWaitUntilTheLastRelease() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        lock.acquire();
        assertTrue(lock.tryLock());
        assertEquals(3, lock.getHoldCount());
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(() -> mustNotGet(lock)), CHILD_TIMEOUT);
            lock.release();
            lock.release();
            assertEquals(1, lock.getHoldCount());
            Children.assertExitsCleanly(children.start(() -> mustNotGet(lock)), CHILD_TIMEOUT);
            lock.release();
            assertEquals(0, lock.getHoldCount());
            assertFalse(lock.isHeldByCurrentThread());
            Children.assertExitsCleanly(children.start(() -> mustGet(lock)), CHILD_TIMEOUT);
        }
    }

    static void mustNotGet(RLock lock) throws InterruptedException {
        assertFalse(lock.acquire(Duration.ofMillis(100)), "an RLock held by another process");
    }

    static void mustGet(RLock lock) throws InterruptedException {
        assertTrue(lock.acquire(Duration.ofSeconds(10)));
        assertTrue(lock.acquire(false), "re-entry in the child");
        assertEquals(2, lock.getHoldCount());
        lock.release();
        lock.release();
    }

    @Test
    void releaseByAnotherProcessIsRefused() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(() -> releaseMustBeRefused(lock)), CHILD_TIMEOUT);
        }
        assertTrue(lock.isHeldByCurrentThread(), "still ours after the refused release");
        lock.release();
    }

    static void releaseMustBeRefused(RLock lock) {
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::release);
        assertEquals("attempt to release recursive lock not owned by thread", e.getMessage());
    }

    @Test
    void releaseByAnotherThreadOrWhenUnheldIsRefused() throws Exception {
        RLock lock = new RLock();
        assertThrows(IllegalMonitorStateException.class, lock::release);
        lock.acquire();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                lock.release();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join();
        assertTrue(failure.get() instanceof IllegalMonitorStateException, String.valueOf(failure.get()));
        assertEquals(1, lock.getHoldCount());
        lock.release();
    }
}
