package io.multiprocessing4j.internal.sync;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.time.Durations;
import java.nio.ByteBuffer;

/**
 * A mutual-exclusion word in shared memory whose value names its holder: the lock underneath
 * {@code Lock}, {@code RLock} and the barrier.
 *
 * <p>The 32-bit word is 0 when free, and otherwise the holder's pid, plus {@link #WAITERS} when some
 * process may be asleep on it (the scheme of robust futexes, without the kernel's part). Taking the
 * lock is one CAS from 0 to our pid, in Java; giving it back is one exchange to 0, plus a futex wake
 * only if {@link #WAITERS} was set. The kernel is involved only when a process really has to sleep.
 *
 * <p>Why not a POSIX semaphore with the holder written beside it: then taking the lock and recording
 * the holder are two steps, and a process killed between them (or between erasing itself and
 * posting) leaves a lock that is taken and names nobody, so every waiter would hang for good. With
 * the holder in the word itself there is no such instant: a waiter that has slept a while looks at
 * the pid in the word, and if that process is gone, takes the word over from it with one CAS. The
 * counting primitives ({@code Semaphore}) have no holder and do use POSIX semaphores.
 */
public final class RobustMutex {
    /** Set while a process may be asleep waiting for the word. */
    public static final int WAITERS = 0x8000_0000;
    /** The holder's pid (Linux pids stay below 2^22). */
    public static final int PID_MASK = 0x3fff_ffff;

    /** {@link #acquire} gave up at its deadline. */
    public static final int TIMED_OUT = 0;
    /** {@link #acquire} took the lock. Any negative result: it took it over from a dead holder, whose pid is minus the result. */
    public static final int ACQUIRED = 1;

    private final ByteBuffer buffer;
    private final int offset;

    public RobustMutex(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
    }

    /** One CAS: takes the lock if it is free. */
    public boolean tryAcquire() {
        return INT.compareAndSet(buffer, offset, 0, ThisProcess.PID);
    }

    /** The pid in the word: the holder, or 0 when free. */
    public int holder() {
        return (int) INT.getVolatile(buffer, offset) & PID_MASK;
    }

    /**
     * Takes the lock, waiting at most {@code timeoutNanos} (negative: no limit). Returns
     * {@link #ACQUIRED}, {@link #TIMED_OUT}, or minus the pid of a dead holder it took the lock over
     * from. With {@code interruptible}, an interrupt ends the wait with InterruptedException (not
     * holding the lock); otherwise interrupts are left pending for the caller.
     */
    public int acquire(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (tryAcquire()) {
            return ACQUIRED;
        }
        if (timeoutNanos == 0) {
            return TIMED_OUT;
        }
        if (WaitPolicy.spinUntil(() -> (int) INT.getVolatile(buffer, offset) == 0 && tryAcquire())) {
            return ACQUIRED;
        }
        return sleepUntilAcquired(timeoutNanos, interruptible);
    }

    private int sleepUntilAcquired(long timeoutNanos, boolean interruptible) throws InterruptedException {
        long deadline = Durations.deadline(timeoutNanos);
        long nextLivenessCheck = Durations.deadline(WaitPolicy.LIVENESS_PERIOD_NANOS);
        while (true) {
            int word = (int) INT.getVolatile(buffer, offset);
            if (word == 0) {
                // Having slept, we cannot know whether others still sleep: keep WAITERS set.
                if (INT.compareAndSet(buffer, offset, 0, ThisProcess.PID | WAITERS)) {
                    return ACQUIRED;
                }
                continue;
            }
            if ((word & WAITERS) == 0) {
                if (!INT.compareAndSet(buffer, offset, word, word | WAITERS)) {
                    continue;
                }
                word |= WAITERS;
            }
            long now = System.nanoTime();
            if (now - nextLivenessCheck >= 0) {
                int holder = word & PID_MASK;
                if (holder != 0 && holder != ThisProcess.PID && !ProcessLiveness.isAlive(holder)) {
                    if (INT.compareAndSet(buffer, offset, word, ThisProcess.PID | WAITERS)) {
                        return -holder;
                    }
                    continue;
                }
                nextLivenessCheck = now + WaitPolicy.LIVENESS_PERIOD_NANOS;
            }
            // No slice: the word's sleeper lets the oldest waiter look again every liveness period.
            long sleep = -1;
            if (timeoutNanos >= 0) {
                long left = deadline - now;
                if (left <= 0) {
                    return TIMED_OUT;
                }
                sleep = left;
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            SharedFutex.sleep(buffer, offset, word, sleep, true, interruptible);
        }
    }

    /** Frees the word and wakes one sleeper if there may be any; returns the word as it was (0: it was free). */
    public int release() {
        int previous = (int) INT.getAndSet(buffer, offset, 0);
        if ((previous & WAITERS) != 0) {
            SharedFutex.wakeOneExclusive(buffer, offset);
        }
        return previous;
    }
}
