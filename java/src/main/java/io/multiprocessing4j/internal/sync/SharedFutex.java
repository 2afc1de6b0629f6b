package io.multiprocessing4j.internal.sync;

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
 *
 * <p>A platform thread first sleeps in the kernel itself, for up to {@link #DIRECT_NANOS} in
 * slices of {@link #DIRECT_SLICE_NANOS}, and parks only after that: most waits between processes
 * (a lock handed over, a queue's next message, an event's answer) end within that time, and a
 * direct futex wake-up costs one context switch where the hand-off through the sleeper thread
 * costs two (a queue's throughput between processes fell to a third with every wait parked). An
 * interrupt is noticed after at most one slice meanwhile, and a thread dump shows the thread
 * RUNNABLE for that moment, WAITING after it.
 */
public final class SharedFutex {
    /** How long a platform thread sleeps in the kernel itself before it parks. */
    static final long DIRECT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);
    /** The longest single kernel sleep of that phase: bounds how late an interrupt is noticed. */
    static final long DIRECT_SLICE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);

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
        sleep(buffer, offset, expected, nanos, exclusive, -1, interruptible);
    }

    /**
     * An exclusive sleep while the word, a count of units (a semaphore's value), is 0, on a word
     * whose wakers wake only while threads sleep in the kernel on it: every futex wait on it counts
     * itself at {@code kernelSleepersAt} ({@link #waitInKernel}).
     */
    public static void sleepForUnit(ByteBuffer buffer, int offset, int kernelSleepersAt, long nanos,
            boolean interruptible) {
        sleep(buffer, offset, 0, nanos, true, kernelSleepersAt, interruptible);
    }

    private static void sleep(ByteBuffer buffer, int offset, int expected, long nanos, boolean exclusive,
            int kernelSleepersAt, boolean interruptible) {
        boolean interrupted = false;
        if (!interruptible) {
            interrupted = Thread.interrupted();
        } else if (Thread.currentThread().isInterrupted()) {
            return;
        }
        long deadline = nanos < 0 ? 0 : System.nanoTime() + Math.max(nanos, 1);
        if (!VirtualThreads.current()) {
            int outcome = sleepDirectly(buffer, offset, expected, nanos, deadline, kernelSleepersAt, interruptible);
            interrupted |= (outcome & INTERRUPT_PENDING) != 0;
            if ((outcome & KEEP_WAITING) == 0) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
        }
        WordSleeper.Waiter waiter = new WordSleeper.Waiter(expected, exclusive);
        WordSleeper sleeper = WordSleeper.register(buffer, offset, kernelSleepersAt, waiter);
        try {
            if ((int) SharedWords.INT.getVolatile(buffer, offset) != expected) {
                return;
            }
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

    /**
     * A futex wait on the word; where the word counts its kernel sleepers ({@code kernelSleepersAt}
     * not -1), counted among them for the while, and the word looked at again once counted, so that
     * a waker that changed it before the count was up, and so did not wake, is seen here instead.
     */
    static int waitInKernel(ByteBuffer buffer, int offset, int expected, long nanos, int kernelSleepersAt) {
        if (kernelSleepersAt < 0) {
            return Futex.waitWord(buffer, offset, expected, nanos);
        }
        SharedWords.INT.getAndAdd(buffer, kernelSleepersAt, 1);
        try {
            if ((int) SharedWords.INT.getVolatile(buffer, offset) != expected) {
                return Futex.VALUE_DIFFERED;
            }
            return Futex.waitWord(buffer, offset, expected, nanos);
        } finally {
            SharedWords.INT.getAndAdd(buffer, kernelSleepersAt, -1);
        }
    }

    /** Bits of what {@link #sleepDirectly} tells: the sleep must go on parked; an interrupt must stay pending. */
    private static final int KEEP_WAITING = 1;
    private static final int INTERRUPT_PENDING = 2;

    /**
     * The platform thread's kernel phase: futex waits in slices until woken, the word changed, the
     * time ran out or an interrupt ends the sleep, or until the phase is over with the word
     * unchanged ({@link #KEEP_WAITING}). An interrupt that must not end it is cleared and reported
     * ({@link #INTERRUPT_PENDING}) for the caller to set again.
     */
    private static int sleepDirectly(ByteBuffer buffer, int offset, int expected, long nanos, long deadline,
            int kernelSleepersAt, boolean interruptible) {
        long phaseEnd = System.nanoTime() + DIRECT_NANOS;
        int pending = 0;
        while (true) {
            long now = System.nanoTime();
            boolean timeOver = nanos >= 0 && deadline - now <= 0;
            long slice = Math.min(DIRECT_SLICE_NANOS, phaseEnd - now);
            if (nanos >= 0) {
                slice = Math.min(slice, deadline - now);
            }
            if (timeOver) {
                return pending;
            }
            if (slice <= 0) {
                return pending | KEEP_WAITING;
            }
            if (waitInKernel(buffer, offset, expected, slice, kernelSleepersAt) != Futex.TIMED_OUT) {
                return pending; // woken, or the word changed: the caller looks again
            }
            if (Thread.currentThread().isInterrupted()) {
                if (interruptible) {
                    return pending;
                }
                Thread.interrupted();
                pending = INTERRUPT_PENDING;
            }
        }
    }

    /**
     * Wakes one exclusive sleeper (a lock's): a thread of this JVM parked on the word directly when
     * one can take the turn ({@link WordSleeper#handOffLocally}), otherwise through the kernel.
     */
    public static void wakeOneExclusive(ByteBuffer buffer, int offset) {
        if (!WordSleeper.handOffLocally(buffer, offset)) {
            Futex.wake(buffer, offset, 1);
        }
    }

    /**
     * Releases every thread of this JVM waiting on the word, parked or in its first kernel sleep,
     * whatever the word holds: for a primitive closed in this process, whose waiters must look
     * again and find it closed. Waiters in other processes may wake too and sleep again.
     */
    public static void releaseLocalWaiters(ByteBuffer buffer, int offset) {
        WordSleeper.releaseAllLocal(buffer, offset);
        Futex.wake(buffer, offset, Futex.ALL);
    }

    /** Wakes at most {@code count} sleepers ({@link Futex#ALL} for all). */
    public static void wake(ByteBuffer buffer, int offset, int count) {
        Futex.wake(buffer, offset, count);
    }
}
