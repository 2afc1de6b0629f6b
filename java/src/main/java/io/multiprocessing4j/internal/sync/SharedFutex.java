package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.nativ.Errors;
import io.multiprocessing4j.internal.nativ.Futex;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * Sleeps and wake-ups on a 32-bit word of shared memory, as the primitives use them: a sleep ends
 * for any reason (woken, word changed, time over, interrupt) and the caller looks again.
 *
 * <p>The sleeping thread parks ({@link LockSupport}); the kernel sleep on the word is done for all
 * of this JVM's waiters by one {@link WordSleeper} per word. So a virtual thread in a wait never
 * holds its carrier, a thread dump shows WAITING or TIMED_WAITING as for {@code ReentrantLock},
 * and an interrupt unparks the thread at once. Wakers in any process call {@link #wake}, a plain
 * {@code FUTEX_WAKE}: a waker cannot tell parked waiters from processes asleep in the kernel.
 */
public final class SharedFutex {
    private SharedFutex() {
    }

    /**
     * Sleeps while the word holds {@code expected}, at most {@code nanos} (negative: no limit; 0
     * counts as 1 ns). An interrupt ends the sleep and stays pending, for the caller to act on.
     */
    public static void sleep(ByteBuffer buffer, int offset, int expected, long nanos) {
        sleep(buffer, offset, expected, nanos, false, true);
    }

    /**
     * The general form. An {@code exclusive} waiter is one of several of which a single one can
     * proceed per change of the word (a lock's, a semaphore's): waiters of that kind are woken one
     * by one (see {@link WordSleeper}). With {@code interruptible} false, an interrupt neither ends
     * the sleep nor is lost: the interrupt status is set again on return.
     */
    public static void sleep(ByteBuffer buffer, int offset, int expected, long nanos, boolean exclusive,
            boolean interruptible) {
        boolean interrupted = false;
        if (!interruptible) {
            interrupted = Thread.interrupted();
        } else if (Thread.currentThread().isInterrupted()) {
            return;
        }
        WordSleeper.Waiter waiter = new WordSleeper.Waiter(expected, exclusive);
        WordSleeper sleeper = WordSleeper.register(buffer, offset, waiter);
        try {
            if ((int) SharedWords.INT.getVolatile(buffer, offset) != expected) {
                return;
            }
            long deadline = nanos < 0 ? 0 : System.nanoTime() + Math.max(nanos, 1);
            while (!waiter.released) {
                if (nanos < 0) {
                    LockSupport.park(sleeper);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(sleeper, left);
                }
                if (Thread.currentThread().isInterrupted()) {
                    if (interruptible) {
                        return;
                    }
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            sleeper.deregister(waiter);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Wakes at most {@code count} sleepers ({@link Futex#ALL} for all). */
    public static void wake(ByteBuffer buffer, int offset, int count) {
        int result = Futex.wake(buffer, offset, count);
        if (result < 0) {
            throw new IllegalStateException(Errors.exception("futex(FUTEX_WAKE)", -result));
        }
    }
}
