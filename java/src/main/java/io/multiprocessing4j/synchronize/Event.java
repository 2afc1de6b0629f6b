package io.multiprocessing4j.synchronize;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.nativ.Futex;
import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.SharedFutex;
import io.multiprocessing4j.internal.sync.WaitPolicy;
import io.multiprocessing4j.internal.time.Durations;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A flag that processes can wait for: Python's {@code multiprocessing.Event}.
 *
 * <p>One 32-bit futex word holds the flag (bit 0) and a generation counted up by every
 * {@link #set()} (bits 1 to 31); a second word counts sleepers, so that {@code set()} makes a
 * system call only when someone sleeps. A waiter returns true once it sees the flag set or the
 * generation changed: an event set and cleared again while it slept still wakes it (as Python's
 * {@code threading.Event} does). No lock is involved.
 */
public final class Event implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private static final int WORD = 0;
    private static final int SLEEPERS = 4;
    private static final int SIZE = 8;
    private static final int FLAG = 1;
    private static final int ONE_GENERATION = 2;

    private final Segment segment;
    private final transient ByteBuffer buffer;

    /** A new event, not set. */
    public Event() {
        this(Segment.createAnonymous(SIZE, "Event"));
    }

    private Event(Segment segment) {
        this.segment = segment;
        this.buffer = segment.buffer();
    }

    /** Whether the flag is set (Python's {@code is_set()}). */
    public boolean isSet() {
        segment.checkOpen();
        return ((int) INT.getVolatile(buffer, WORD) & FLAG) != 0;
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        segment.checkOpen();
        int word = (int) INT.getVolatile(buffer, WORD);
        while (true) {
            if ((word & FLAG) != 0) {
                return;
            }
            int witness = (int) INT.compareAndExchange(buffer, WORD, word, (word + ONE_GENERATION) | FLAG);
            if (witness == word) {
                break;
            }
            word = witness;
        }
        // Paired with the waiter's increment of SLEEPERS before its last look at WORD: one of the
        // two sees the other, so a sleeper is either woken here or never falls asleep.
        if ((int) INT.getVolatile(buffer, SLEEPERS) != 0) {
            SharedFutex.wake(buffer, WORD, Futex.ALL);
        }
    }

    /** Clears the flag. */
    public void clear() {
        segment.checkOpen();
        int word = (int) INT.getVolatile(buffer, WORD);
        while ((word & FLAG) != 0) {
            int witness = (int) INT.compareAndExchange(buffer, WORD, word, word & ~FLAG);
            if (witness == word) {
                return;
            }
            word = witness;
        }
    }

    /** Waits until the flag is set. */
    public boolean await() throws InterruptedException {
        return awaitSet(-1);
    }

    /** Waits at most {@code timeout} for the flag; returns whether it was set (Python's {@code wait(timeout)}). */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitSet(Durations.toNanos(timeout));
    }

    private boolean awaitSet(long timeoutNanos) throws InterruptedException {
        segment.checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int start = (int) INT.getVolatile(buffer, WORD);
        if ((start & FLAG) != 0) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        if (WaitPolicy.spinUntil(() -> happened(start, (int) INT.getVolatile(buffer, WORD)))) {
            return true;
        }
        long deadline = Durations.deadline(timeoutNanos);
        INT.getAndAdd(buffer, SLEEPERS, 1);
        try {
            while (true) {
                int word = (int) INT.getVolatile(buffer, WORD);
                if (happened(start, word)) {
                    return true;
                }
                long sleep = -1;
                if (timeoutNanos > 0) {
                    sleep = deadline - System.nanoTime();
                    if (sleep <= 0) {
                        return false;
                    }
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                SharedFutex.sleep(buffer, WORD, word, sleep);
            }
        } finally {
            INT.getAndAdd(buffer, SLEEPERS, -1);
        }
    }

    /** Set now, or set (and perhaps cleared) since the waiter first looked. */
    private static boolean happened(int start, int now) {
        return (now & FLAG) != 0 || (now >>> 1) != (start >>> 1);
    }

    /**
     * Releases this process's hold on the event's shared memory; afterwards its methods throw
     * {@link IllegalStateException}. Other processes keep using it.
     */
    @Override
    public void close() {
        segment.close();
    }

    @Override
    public String toString() {
        return segment.isClosed() ? "Event[closed]" : isSet() ? "Event[set]" : "Event[unset]";
    }

    private Object readResolve() throws ObjectStreamException {
        return new Event(segment);
    }
}
