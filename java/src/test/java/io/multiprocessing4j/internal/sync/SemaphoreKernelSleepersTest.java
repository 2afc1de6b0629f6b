package io.multiprocessing4j.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.internal.shm.Segment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A semaphore's post wakes only while some thread is counted as asleep in the kernel on its value
 * ({@code SemaphoreWord.KERNEL_SLEEPERS}): every wait that sleeps there counts itself for exactly
 * as long, whether woken, timed out or interrupted, so the count is back to zero once nobody waits;
 * a count left high would only cost wake-ups, but one left low would lose them.
 */
class SemaphoreKernelSleepersTest {
    private Segment segment;
    private SemaphoreWord word;

    @BeforeEach
    void fastPathOnly() {
        assumeTrue(SemaphoreWord.javaFastPath(), "glibc's own sem_wait keeps no such count");
        segment = Segment.createAnonymous(SemaphoreWord.SIZE, "test semaphore");
        word = new SemaphoreWord(segment.buffer(), 0);
        word.init(0);
    }

    @AfterEach
    void close() {
        if (segment != null) {
            segment.close();
        }
    }

    private static boolean eventually(IntSupplier value, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (value.getAsInt() != expected) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** A platform thread that waits for a unit without a time limit; its outcome: true, or what it threw. */
    private Thread startWaiter(AtomicReference<Object> outcome) {
        Thread waiter = new Thread(() -> {
            try {
                outcome.set(word.acquire(-1, true));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        waiter.start();
        return waiter;
    }

    @Test
    void aParkedWaiterIsCountedThroughItsSleeperAndTheCountEndsWithTheWait() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = startWaiter(outcome);
        // Past its first millisecond in the kernel, the thread parks and the JVM's sleeper for the
        // word sleeps there instead, counted.
        assertTrue(eventually(() -> waiter.getState() == Thread.State.WAITING ? 1 : 0, 1), "the waiter parks");
        assertTrue(eventually(word::kernelSleepers, 1), "the sleeper is counted: " + word.kernelSleepers());
        assertTrue(word.release(Integer.MAX_VALUE));
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(Boolean.TRUE, outcome.get());
        assertTrue(eventually(word::kernelSleepers, 0), "no waiter, no count: " + word.kernelSleepers());
        assertEquals(0, word.value());
    }

    @Test
    void waitsThatTimeOutOrAreInterruptedLeaveNoCount() throws Exception {
        assertFalse(word.acquire(TimeUnit.MILLISECONDS.toNanos(5), true), "kernel phase, then parked, then out of time");
        assertTrue(eventually(word::kernelSleepers, 0), "after a timeout: " + word.kernelSleepers());

        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = startWaiter(outcome);
        assertTrue(eventually(word::kernelSleepers, 1));
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertTrue(eventually(word::kernelSleepers, 0), "after an interrupt: " + word.kernelSleepers());
    }
}
