package io.multiprocessing4j.synchronize;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.nativ.Futex;
import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.RobustMutex;
import io.multiprocessing4j.internal.sync.SharedFutex;
import io.multiprocessing4j.internal.time.Durations;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;

/**
 * A barrier for a fixed number of parties in any processes: Python's {@code multiprocessing.Barrier}
 * (which is {@code threading.Barrier} on shared state), with its semantics:
 * <ul>
 *   <li>{@link #await()} returns the arrival index, 0 to parties - 1; the last to arrive runs the
 *       action (if any) before everyone is released;</li>
 *   <li>a barrier is broken by {@link #abort()}, by a wait that times out, by an action that throws,
 *       or by an interrupted waiter; then every waiting and every later {@code await} throws
 *       {@link BrokenBarrierException}, until {@link #reset()};</li>
 *   <li>{@link #reset()} breaks the current round for those waiting and makes the barrier usable
 *       again once they have left.</li>
 * </ul>
 *
 * <p>Shared state (arrivals, phase) is guarded by a {@link RobustMutex}; waiters sleep on a
 * sequence word that every change of phase bumps. Should a process die while holding the mutex,
 * the barrier is taken to be broken.
 */
public final class Barrier implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    /** The action run by the last party to arrive; it travels with the barrier to other processes. */
    @FunctionalInterface
    public interface Action extends Runnable, Serializable {
    }

    private static final int MUTEX = 0;
    private static final int SEQUENCE = 4;
    private static final int PHASE = 8;
    private static final int ARRIVED = 12;
    private static final int SIZE = 16;

    // Python's states.
    private static final int FILLING = 0;
    private static final int DRAINING = 1;
    private static final int RESETTING = -1;
    private static final int BROKEN = -2;

    private final Segment segment;
    private final int parties;
    private final Action action;
    private final Duration timeout;
    private final transient ByteBuffer buffer;
    private final transient RobustMutex mutex;

    /** A barrier for {@code parties} parties, with no action and no default timeout. */
    public Barrier(int parties) {
        this(parties, null, null);
    }

    /** A barrier for {@code parties} parties that runs {@code action} (may be null) when they are all there. */
    public Barrier(int parties, Action action) {
        this(parties, action, null);
    }

    /**
     * A barrier for {@code parties} parties, with an {@code action} (may be null) and a default
     * {@code timeout} for {@link #await()} (null: none).
     */
    public Barrier(int parties, Action action, Duration timeout) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be > 0: " + parties);
        }
        if (timeout != null) {
            Durations.toNanos(timeout);
        }
        this.segment = Segment.createAnonymous(SIZE, "Barrier");
        this.parties = parties;
        this.action = action;
        this.timeout = timeout;
        this.buffer = segment.buffer();
        this.mutex = new RobustMutex(buffer, MUTEX);
    }

    private Barrier(Segment segment, int parties, Action action, Duration timeout) {
        this.segment = segment;
        this.parties = parties;
        this.action = action;
        this.timeout = timeout;
        this.buffer = segment.buffer();
        this.mutex = new RobustMutex(buffer, MUTEX);
    }

    /** Waits for all parties (at most the default timeout, if any); returns this party's arrival index. */
    public int await() throws InterruptedException, BrokenBarrierException {
        return passBarrier(timeout == null ? -1 : Durations.toNanos(timeout));
    }

    /** Waits for all parties at most {@code timeout}; a timeout breaks the barrier. */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException {
        return passBarrier(Durations.toNanos(timeout));
    }

    private int passBarrier(long timeoutNanos) throws InterruptedException, BrokenBarrierException {
        segment.checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        lock();
        try {
            // Wait while the previous round drains or a reset completes.
            while (phase() == DRAINING || phase() == RESETTING) {
                sleepForChange(-1);
            }
            if (phase() != FILLING) {
                throw new BrokenBarrierException();
            }
            int index = arrived();
            INT.setVolatile(buffer, ARRIVED, index + 1);
            try {
                if (index + 1 == parties) {
                    release();
                } else {
                    waitForRelease(timeoutNanos);
                }
                return index;
            } finally {
                int left = arrived() - 1;
                INT.setVolatile(buffer, ARRIVED, left);
                if (left == 0 && (phase() == RESETTING || phase() == DRAINING)) {
                    setPhase(FILLING);
                }
            }
        } finally {
            mutex.release();
        }
    }

    /** The last party: run the action, then let everyone go. */
    private void release() {
        try {
            if (action != null) {
                action.run();
            }
            setPhase(DRAINING);
        } catch (RuntimeException | Error e) {
            setPhase(BROKEN);
            throw e;
        }
    }

    private void waitForRelease(long timeoutNanos) throws InterruptedException, BrokenBarrierException {
        long deadline = Durations.deadline(timeoutNanos);
        while (phase() == FILLING) {
            long left = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
            if (timeoutNanos >= 0 && left <= 0) {
                setPhase(BROKEN);
                throw new BrokenBarrierException();
            }
            sleepForChange(left);
        }
        if (phase() < 0) {
            throw new BrokenBarrierException();
        }
    }

    /**
     * With the mutex held: releases it, sleeps until the sequence moves (or the given time passes,
     * or an interrupt comes), and takes it back. An interrupt breaks the barrier, as in CyclicBarrier.
     */
    private void sleepForChange(long timeoutNanos) throws InterruptedException {
        int sequence = (int) INT.getVolatile(buffer, SEQUENCE);
        mutex.release();
        try {
            SharedFutex.sleep(buffer, SEQUENCE, sequence, timeoutNanos);
        } finally {
            lock();
        }
        if (Thread.interrupted()) {
            setPhase(BROKEN);
            throw new InterruptedException();
        }
    }

    /**
     * Puts the barrier back to its initial state; parties waiting in it now get
     * {@link BrokenBarrierException}.
     */
    public void reset() {
        segment.checkOpen();
        lock();
        try {
            if (arrived() > 0) {
                if (phase() == FILLING || phase() == BROKEN) {
                    setPhase(RESETTING);
                }
            } else {
                setPhase(FILLING);
            }
            bumpSequence();
        } finally {
            mutex.release();
        }
    }

    /** Breaks the barrier: current and later waits throw {@link BrokenBarrierException} until {@link #reset()}. */
    public void abort() {
        segment.checkOpen();
        lock();
        try {
            setPhase(BROKEN);
        } finally {
            mutex.release();
        }
    }

    /** The number of parties it waits for. */
    public int parties() {
        return parties;
    }

    /** The number of parties waiting in it now (Python's {@code n_waiting}). */
    public int nWaiting() {
        segment.checkOpen();
        lock();
        try {
            return phase() == FILLING ? arrived() : 0;
        } finally {
            mutex.release();
        }
    }

    /** Whether it is broken. */
    public boolean isBroken() {
        segment.checkOpen();
        return phase() == BROKEN;
    }

    /**
     * Releases this process's hold on the barrier's shared memory; afterwards its methods throw
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        segment.close();
    }

    /** Takes the mutex, uninterruptibly; if its holder died, the shared state is suspect: broken. */
    private void lock() {
        int result;
        try {
            result = mutex.acquire(-1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible acquire was interrupted", impossible);
        }
        if (result < 0) {
            setPhase(BROKEN);
        }
    }

    private int phase() {
        return (int) INT.getVolatile(buffer, PHASE);
    }

    private int arrived() {
        return (int) INT.getVolatile(buffer, ARRIVED);
    }

    private void setPhase(int phase) {
        INT.setVolatile(buffer, PHASE, phase);
        bumpSequence();
    }

    private void bumpSequence() {
        INT.getAndAdd(buffer, SEQUENCE, 1);
        SharedFutex.wake(buffer, SEQUENCE, Futex.ALL);
    }

    @Override
    public String toString() {
        return "Barrier[parties=" + parties + (segment.isClosed() ? ", closed]" : ", waiting=" + nWaiting()
                + (isBroken() ? ", broken]" : "]"));
    }

    private Object readResolve() throws ObjectStreamException {
        return new Barrier(segment, parties, action, timeout);
    }
}
