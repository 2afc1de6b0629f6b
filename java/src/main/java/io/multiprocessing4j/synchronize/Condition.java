package io.multiprocessing4j.synchronize;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.SharedFutex;
import io.multiprocessing4j.internal.time.Durations;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A condition variable shared between processes: Python's {@code multiprocessing.Condition}, also a
 * {@link java.util.concurrent.locks.Condition}. Waiting and signalling require holding its lock
 * (an {@link RLock} unless another {@link ProcessLock} is given), as in Python; otherwise they throw
 * {@link IllegalMonitorStateException}.
 *
 * <p>Python's {@code wait(timeout)}, {@code wait_for}, {@code notify(n)} and {@code notify_all()}
 * are {@link #await(Duration)}, {@link #waitFor}, {@link #signal(int)} and {@link #signalAll()}.
 *
 * <p>How it works: four counters in shared memory, changed only by holders of the lock: waiters
 * that entered (less those that gave up), wake-ups granted, wake-ups claimed, and a sequence number
 * that is also the futex word sleepers wait on. {@code signal(n)} grants up to n wake-ups to the
 * waiters not yet granted one, bumps the sequence and wakes n sleepers. A waiter may claim a wake-up
 * only if it was granted after the waiter entered, so a signal never wakes a thread that started
 * waiting after it. Unlike CPython's, a signal never waits for the woken to respond, so a waiter
 * that dies cannot block the signaller.
 */
public final class Condition implements java.util.concurrent.locks.Condition, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private static final int SEQUENCE = 0;
    private static final int ENTERED = 8;
    private static final int GRANTED = 16;
    private static final int CLAIMED = 24;
    private static final int SIZE = 32;

    private final ProcessLock lock;
    private final Segment segment;
    private final transient ByteBuffer buffer;

    /** A condition with a new {@link RLock}. */
    public Condition() {
        this(new RLock());
    }

    /** A condition on {@code lock}. */
    public Condition(ProcessLock lock) {
        this(Objects.requireNonNull(lock, "lock"), Segment.createAnonymous(SIZE, "Condition"));
    }

    private Condition(ProcessLock lock, Segment segment) {
        this.lock = lock;
        this.segment = segment;
        this.buffer = segment.buffer();
    }

    /** The lock this condition uses. */
    public ProcessLock getLock() {
        return lock;
    }

    /** Acquires the lock ({@link ProcessLock#acquire()}). */
    public boolean acquire() throws InterruptedException {
        return lock.acquire();
    }

    /** Acquires the lock waiting at most {@code timeout}. */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return lock.acquire(timeout);
    }

    /** Releases the lock. */
    public void release() {
        lock.release();
    }

    /** Holds the lock for a try-with-resources block (Python's {@code with condition:}). */
    public ProcessLock.Held hold() {
        return lock.hold();
    }

    /** Waits until signalled; releases the lock meanwhile and holds it again on return. */
    @Override
    public void await() throws InterruptedException {
        awaitSignal(-1, true);
    }

    /** Python's {@code wait(timeout)}: waits at most {@code timeout}; false if it passed unsignalled. */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitSignal(Durations.toNanos(timeout), true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitSignal(Durations.toNanos(time, unit), true);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Durations.deadline(Math.max(0, nanosTimeout));
        boolean signalled = awaitSignal(Math.max(0, nanosTimeout), true);
        long left = deadline - System.nanoTime();
        return signalled ? Math.max(left, 1) : Math.min(left, 0);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitSignal(-1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitSignal(Durations.toNanos(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS), true);
    }

    /** Python's {@code wait_for(predicate)}: waits until {@code predicate} holds, checking it with the lock held. */
    public boolean waitFor(BooleanSupplier predicate) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        while (!predicate.getAsBoolean()) {
            awaitSignal(-1, true);
        }
        return true;
    }

    /**
     * Python's {@code wait_for(predicate, timeout)}: waits until {@code predicate} holds or
     * {@code timeout} passes; returns the predicate's last value.
     */
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        long deadline = Durations.deadline(Durations.toNanos(timeout));
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            awaitSignal(left, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Python's {@code notify()}: wakes one waiter, if any. */
    @Override
    public void signal() {
        signal(1);
    }

    /** Python's {@code notify(n)}: wakes up to {@code n} waiters. */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        checkHeld("lock is not owned");
        long granted = (long) LONG.getVolatile(buffer, GRANTED);
        long waiting = (long) LONG.getVolatile(buffer, ENTERED) - granted;
        int wake = (int) Math.min(n, waiting);
        if (wake <= 0) {
            return;
        }
        LONG.setVolatile(buffer, GRANTED, granted + wake);
        INT.getAndAdd(buffer, SEQUENCE, 1);
        SharedFutex.wake(buffer, SEQUENCE, wake);
    }

    /** Python's {@code notify_all()}: wakes every waiter. */
    @Override
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    /**
     * Releases this process's hold on the condition's shared memory (not on its lock); afterwards
     * its methods throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        segment.close();
    }

    /**
     * The wait itself: enter as a waiter, release the lock, sleep until a wake-up this waiter may
     * claim is granted (or the time is up, or an interrupt comes), take the lock back, and then, with
     * the lock held, claim the wake-up or withdraw. True if a wake-up was claimed. An interrupt that
     * comes with a claimable wake-up returns normally with the interrupt status set, so that no
     * signal is lost.
     */
    private boolean awaitSignal(long timeoutNanos, boolean interruptible) throws InterruptedException {
        checkHeld("must acquire() condition before using wait()");
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = Durations.deadline(timeoutNanos);
        LONG.setVolatile(buffer, ENTERED, (long) LONG.getVolatile(buffer, ENTERED) + 1);
        long grantedBefore = (long) LONG.getVolatile(buffer, GRANTED);
        boolean interrupted = false;
        while (true) {
            int saved = lock.releaseFully();
            boolean gaveUp = false;
            while (true) {
                int sequence = (int) INT.getVolatile(buffer, SEQUENCE);
                if (claimable(grantedBefore)) {
                    break;
                }
                long sleep = -1;
                if (timeoutNanos >= 0) {
                    sleep = deadline - System.nanoTime();
                    if (sleep <= 0) {
                        gaveUp = true;
                        break;
                    }
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible) {
                        gaveUp = true;
                        break;
                    }
                }
                SharedFutex.sleep(buffer, SEQUENCE, sequence, sleep);
            }
            OwnerDiedException ownerDied = null;
            try {
                lock.reacquire(saved);
            } catch (OwnerDiedException e) {
                ownerDied = e; // we hold the lock all the same: settle, then report
            }
            if (claimable(grantedBefore)) {
                LONG.setVolatile(buffer, CLAIMED, (long) LONG.getVolatile(buffer, CLAIMED) + 1);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                rethrow(ownerDied);
                return true;
            }
            if (gaveUp || ownerDied != null) {
                LONG.setVolatile(buffer, ENTERED, (long) LONG.getVolatile(buffer, ENTERED) - 1);
                rethrow(ownerDied);
                if (interrupted && interruptible) {
                    throw new InterruptedException();
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            // Another waiter claimed the wake-up first: wait on.
        }
    }

    /** A wake-up granted after this waiter entered and not yet claimed by anyone. */
    private boolean claimable(long grantedBefore) {
        long granted = (long) LONG.getVolatile(buffer, GRANTED);
        return granted > grantedBefore && (long) LONG.getVolatile(buffer, CLAIMED) < granted;
    }

    private static void rethrow(OwnerDiedException ownerDied) {
        if (ownerDied != null) {
            throw ownerDied;
        }
    }

    private void checkHeld(String message) {
        segment.checkOpen();
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(message);
        }
    }

    @Override
    public String toString() {
        return "Condition[" + lock + "]";
    }

    private Object readResolve() throws ObjectStreamException {
        return new Condition(lock, segment);
    }
}
