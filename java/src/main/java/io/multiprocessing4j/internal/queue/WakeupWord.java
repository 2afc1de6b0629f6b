package io.multiprocessing4j.internal.queue;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.nativ.Futex;
import io.multiprocessing4j.internal.sync.SharedFutex;
import java.nio.ByteBuffer;

/**
 * A futex word that processes sleep on until something they wait for may have happened ("the queue
 * is no longer empty", "no longer full", "every task is done"), built so that the side that makes it
 * happen pays nothing while nobody sleeps, and so that a sleeper killed in its sleep costs nothing
 * afterwards.
 *
 * <p>The word is a 31-bit sequence number plus {@link #SLEEPERS}, set by whoever is about to sleep.
 * A waker that finds the bit clear does nothing (one plain read). One that finds it set wakes a
 * sleeper; if the kernel had none to wake (the sleepers left, or were killed, or one is just
 * entering its wait), it clears the bit and bumps the sequence in one CAS, and wakes once more for
 * the sleeper that may have entered its wait in between. Why not a count of sleepers: a process killed while asleep would
 * leave the count above zero for ever, and every later operation would pay a futex syscall.
 *
 * <p>No wake-up is lost: a sleeper sets the bit, then looks at the condition, then sleeps only while
 * the word is unchanged; a waker changes the condition, then reads the word (both through full
 * fences). Either the sleeper sees the new condition, or the waker sees the bit and either wakes the
 * sleeper in the kernel, or changes the word under it (its futex wait then returns at once) and
 * wakes it if it was already asleep on the old value. So sleeps
 * are not sliced: they end at their deadline, an interrupt, a wake-up, or when this process closes
 * the queue ({@link #releaseLocalWaiters}).
 */
final class WakeupWord {
    /** Set while some process may be asleep on the word. */
    static final int SLEEPERS = 0x8000_0000;

    private final ByteBuffer buffer;
    private final int offset;
    /**
     * Whether one waiter can proceed per event ("a message came", "a slot is free"): this JVM's
     * waiters are then released one by one, each passing the turn on as it leaves, not all at once
     * for every message (see {@code WordSleeper}); "every task is done" releases all.
     */
    private final boolean oneProceeds;

    WakeupWord(ByteBuffer buffer, int offset, boolean oneProceeds) {
        this.buffer = buffer;
        this.offset = offset;
        this.oneProceeds = oneProceeds;
    }

    /**
     * Announces a sleeper: sets {@link #SLEEPERS} and returns the word to pass to {@link #sleep}.
     * The caller must look at its condition after this and before sleeping.
     */
    int prepareToSleep() {
        while (true) {
            int word = (int) INT.getVolatile(buffer, offset);
            if ((word & SLEEPERS) != 0) {
                return word;
            }
            int announced = word | SLEEPERS;
            if (INT.compareAndSet(buffer, offset, word, announced)) {
                return announced;
            }
        }
    }

    /** Sleeps at most {@code nanos} while the word still is {@code prepared}. */
    void sleep(int prepared, long nanos) {
        SharedFutex.sleep(buffer, offset, prepared, nanos, oneProceeds, true);
    }

    /** Wakes one sleeper, if any may be asleep; free when none is. */
    void wakeOne() {
        int word = (int) INT.getVolatile(buffer, offset);
        if ((word & SLEEPERS) == 0) {
            return;
        }
        int woken = Futex.wake(buffer, offset, 1);
        if (woken == 0) {
            // Nobody was in the kernel: clear the bit, and change the word under anyone about to
            // sleep. Then wake once more: a sleeper that entered its futex wait between the first
            // wake and the change compared the old value and is asleep now, and nothing else would
            // wake it (under ten thousand waiters this cost a kernel slice, 200 ms, now and then).
            if (INT.compareAndSet(buffer, offset, word, (word + 1) & ~SLEEPERS)) {
                Futex.wake(buffer, offset, 1);
            }
        }
    }

    /** Releases the threads of this process waiting on the word, whatever its value. */
    void releaseLocalWaiters() {
        SharedFutex.releaseLocalWaiters(buffer, offset);
    }

    /** Wakes every sleeper, if any may be asleep. */
    void wakeAll() {
        int word = (int) INT.getVolatile(buffer, offset);
        if ((word & SLEEPERS) == 0) {
            return;
        }
        while (!INT.compareAndSet(buffer, offset, word, (word + 1) & ~SLEEPERS)) {
            word = (int) INT.getVolatile(buffer, offset);
        }
        SharedFutex.wake(buffer, offset, Futex.ALL);
    }
}
