package io.multiprocessing4j.internal.sync;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;

import io.multiprocessing4j.internal.nativ.Futex;
import io.multiprocessing4j.internal.threads.LibraryThreads;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread of this JVM that sleeps in the kernel on a given shared futex word, on behalf of
 * every thread of the JVM waiting for that word; those threads park ({@link LockSupport}), so a
 * virtual thread never holds its carrier, a platform thread shows WAITING or TIMED_WAITING, and an
 * interrupt ends a wait at once.
 *
 * <p>A waiter is registered with the word's value it saw ({@code expected}). Whenever the sleeper
 * is about to sleep, and whenever the kernel wakes it, it reads the word and releases (unparks)
 * every shared waiter whose value is stale, then sleeps in {@code FUTEX_WAIT} on the value it
 * read, so a change it did not see makes that call return at once. A kernel wake-up with no change
 * (a {@code FUTEX_WAKE} meant for "one sleeper") releases the oldest waiter. Exclusive waiters (a
 * lock, a semaphore: one of them can proceed per change) are released one at a time, oldest first:
 * a released exclusive waiter, when it leaves, passes the turn on to the next one if the word still
 * differs from what the latest exclusive waiter saw ({@link #exclusiveSeen}), so a change wakes a
 * chain only until one of them has looked at the new value and registered again, not a herd.
 *
 * <p>Why a thread per word and not {@code futex_waitv} over all words: it needs Linux 5.16, and the
 * library runs on 5.4. Waits on many distinct words at once are rare (each primitive is one word);
 * a sleeper ends {@link #LINGER_NANOS} after its last waiter left.
 *
 * <p>A sleeper must never sit in the kernel without waiters: a {@code FUTEX_WAKE} of one sleeper
 * that it absorbed would be lost for a waiter elsewhere. So it sleeps in the kernel only while it
 * has waiters, a bounded time ({@link #KERNEL_SLICE_NANOS}), and a waiter leaving it empty wakes
 * it. Every kernel slice that passes with nothing happening releases the oldest exclusive waiter,
 * so that a lock waiter checks now and then whether the holder still lives, and so that a wake-up
 * lost by a waiter that gave up after being chosen costs at most a slice.
 */
final class WordSleeper implements Runnable {
    /** How long a sleeper stays in one futex wait at most. */
    static final long KERNEL_SLICE_NANOS = WaitPolicy.LIVENESS_PERIOD_NANOS;
    /** How long a sleeper without waiters lives on, for the next wait on its word. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final ConcurrentHashMap<Key, WordSleeper> SLEEPERS = new ConcurrentHashMap<>();

    /** A futex word as this JVM maps it: the buffer (by identity) and the offset. */
    private static final class Key {
        final ByteBuffer buffer;
        final int offset;

        Key(ByteBuffer buffer, int offset) {
            this.buffer = buffer;
            this.offset = offset;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key && ((Key) other).buffer == buffer && ((Key) other).offset == offset;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(buffer) * 31 + offset;
        }
    }

    /** One parked thread. Linked into its sleeper's list while not released. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        final int expected;
        final boolean exclusive;
        volatile boolean released;
        /**
         * Released by a lock holder's hand-off ({@link #handOffLocally}): the change was meant for
         * this waiter alone, which looks at the word before it leaves, so it passes nothing on.
         * Written before {@link #released}.
         */
        boolean handedOff;
        Waiter previous;
        Waiter next;
        boolean linked;

        Waiter(int expected, boolean exclusive) {
            this.expected = expected;
            this.exclusive = exclusive;
        }
    }

    private final Key key;
    private final ByteBuffer buffer;
    private final int offset;
    /** Waiters not yet released, oldest first; guarded by this. */
    private final WaitList shared = new WaitList();
    private final WaitList exclusive = new WaitList();
    /** Threads released and not yet unparked; guarded by this. */
    private List<Thread> toUnpark = new ArrayList<>();
    /** Threads released, to be unparked by those released before them (see {@link #unparkReleased()}). */
    private final ConcurrentLinkedQueue<Thread> pendingUnparks = new ConcurrentLinkedQueue<>();
    private static final int FAN_OUT = 2;
    /** One hand-off in this many goes through the kernel, where other processes' waiters sleep. */
    static final int KERNEL_TURN = 16;
    /** Hand-offs asked of {@link #handOffLocally}; guarded by this. */
    private int localHandOffs;
    /**
     * The word as the latest exclusive waiter saw it when it registered, having found its condition
     * unmet under that value; guarded by this. Every exclusive waiter of a word waits for the same
     * thing (the lock free, a permit, a message, a slot), so that look stands for all of them: the
     * exclusive waiters are stale only when the word differs from it. Judged per waiter instead,
     * a change of the word while this JVM's sleeper was out of the kernel made every exclusive
     * waiter stale, and each in turn woke, looked, and registered again: ten thousand producers of
     * a full queue went through that chain for every message taken.
     */
    private int exclusiveSeen;
    /**
     * Where the word counts its kernel sleepers, as its registrations say (-1: it keeps no count;
     * the same for every registration of a word), which this sleeper then keeps too. Written under this at
     * each registration, before the sleeper thread starts or is notified; read by that thread.
     */
    private volatile int kernelSleepersAt = -1;
    /** Guarded by this. */
    private boolean started;
    private boolean ended;
    /** Whether the sleeper is in (or about to enter) the kernel; guarded by this. */
    private boolean inKernel;

    private WordSleeper(Key key) {
        this.key = key;
        this.buffer = key.buffer;
        this.offset = key.offset;
    }

    /**
     * Registers {@code waiter} on the word, starting its sleeper if need be; returns the sleeper.
     * {@code kernelSleepersAt}: where the word counts the threads asleep in the kernel on it
     * ({@link SharedFutex#waitInKernel}), or -1.
     */
    static WordSleeper register(ByteBuffer buffer, int offset, int kernelSleepersAt, Waiter waiter) {
        Key key = new Key(buffer, offset);
        while (true) {
            WordSleeper sleeper = SLEEPERS.computeIfAbsent(key, WordSleeper::new);
            synchronized (sleeper) {
                if (sleeper.ended) {
                    continue;
                }
                if (kernelSleepersAt >= 0) {
                    sleeper.kernelSleepersAt = kernelSleepersAt;
                }
                if (waiter.exclusive) {
                    sleeper.exclusive.add(waiter);
                    sleeper.exclusiveSeen = waiter.expected;
                } else {
                    sleeper.shared.add(waiter);
                }
                if (!sleeper.started) {
                    sleeper.started = true;
                    LibraryThreads.daemon("mp4j-futex-sleeper", sleeper).start();
                } else if (!sleeper.inKernel) {
                    sleeper.notifyAll();
                }
                return sleeper;
            }
        }
    }

    /**
     * Releases the oldest exclusive waiter of this JVM on the word and unparks it from the calling
     * thread: for a lock given back with waiters of its own JVM, this is the hand-off
     * {@code ReentrantLock} makes, where a {@code FUTEX_WAKE} would reach the same waiter only
     * through this JVM's sleeper thread, one more context switch per hand-off (ten thousand virtual
     * threads taking a lock in turn spent most of their time there). Returns false, and the caller
     * wakes through the kernel, when no such waiter is here, when it would be the last one (the
     * sleeper must never sit in the kernel without waiters, see above), and every
     * {@link #KERNEL_TURN}-th time in a row, so that waiters of other processes, asleep in the
     * kernel, get their turn too.
     */
    static boolean handOffLocally(ByteBuffer buffer, int offset) {
        WordSleeper sleeper = existing(buffer, offset);
        if (sleeper == null) {
            return false;
        }
        Thread next;
        synchronized (sleeper) {
            Waiter head = sleeper.exclusive.head;
            if (head == null || head.next == null || ++sleeper.localHandOffs % KERNEL_TURN == 0) {
                return false;
            }
            head.handedOff = true;
            sleeper.unlink(sleeper.exclusive, head);
            next = head.thread;
        }
        LockSupport.unpark(next); // from this thread: the hand-off is this unpark
        return true;
    }

    /** Releases every waiter of this JVM on the word (see {@link SharedFutex#releaseLocalWaiters}). */
    static void releaseAllLocal(ByteBuffer buffer, int offset) {
        WordSleeper sleeper = existing(buffer, offset);
        if (sleeper == null) {
            return;
        }
        synchronized (sleeper) {
            sleeper.releaseAll(sleeper.exclusive);
            sleeper.releaseAll(sleeper.shared);
        }
        sleeper.unparkReleased();
    }

    /** The word's sleeper if this JVM has one, without starting one (a map probe only when any exists). */
    private static WordSleeper existing(ByteBuffer buffer, int offset) {
        return SLEEPERS.isEmpty() ? null : SLEEPERS.get(new Key(buffer, offset));
    }

    /**
     * Takes a waiter out after its wait ended. One that was released passes the turn on if the word
     * changed for the next; one that leaves unreleased (timeout, interrupt) and leaves no waiter
     * behind pulls the sleeper out of the kernel.
     */
    void deregister(Waiter waiter) {
        if (waiter.released) {
            passOnUnparks();
        }
        if (waiter.released && (!waiter.exclusive || waiter.handedOff)) {
            // The sleeper unlinked it; nothing to pass on (10,000 released at once must not queue
            // here). A lock hand-off passed on would wake the next waiter only for it to find the
            // lock taken by this one and queue again, at the back: one wasted wake-up per hand-off.
            return;
        }
        boolean wakeSleeper = false;
        synchronized (this) {
            if (!waiter.released) {
                (waiter.exclusive ? exclusive : shared).remove(waiter);
                wakeSleeper = inKernel && exclusive.isEmpty() && shared.isEmpty();
            } else if (waiter.exclusive) {
                releaseStale((int) INT.getVolatile(buffer, offset), false);
            }
        }
        unparkReleased();
        if (wakeSleeper) {
            // A spurious wake-up for any sleeper on the word, which every protocol here tolerates.
            Futex.wake(buffer, offset, Futex.ALL);
        }
    }

    @Override
    public void run() {
        boolean wasWoken = false;
        boolean timedOut = false;
        int quietSlices = 0;
        while (true) {
            int current = (int) INT.getVolatile(buffer, offset);
            synchronized (this) {
                if (exclusive.isEmpty() && shared.isEmpty()) {
                    inKernel = false;
                    if (!lingerForWaiters()) {
                        return;
                    }
                    // A kernel wake-up that came while every waiter was already released (by the
                    // chain of waiters passing the turn on) is owed to the next one: its waker
                    // found the sleepers' bit set and woke this thread instead of changing the
                    // word, so a waiter that looked before the waker acted, and registers now on
                    // the unchanged word, would otherwise wait for a kernel slice.
                    timedOut = false;
                    continue;
                }
                boolean releasedAny = releaseStale(current, wasWoken);
                if (timedOut && !releasedAny) {
                    // Nothing happened for a slice: let the oldest lock waiter look around; and now
                    // and then the oldest of the others, in case a wake-up meant for it was lost.
                    if (!releaseOldest(exclusive) && ++quietSlices % 5 == 0) {
                        releaseOldest(shared);
                    }
                }
            }
            unparkReleased();
            synchronized (this) {
                // Looked at again after unparking: waiters that left meanwhile may have left none.
                inKernel = !(exclusive.isEmpty() && shared.isEmpty());
                if (!inKernel) {
                    wasWoken = false;
                    timedOut = false;
                    continue;
                }
            }
            int result;
            try {
                result = SharedFutex.waitInKernel(buffer, offset, current, KERNEL_SLICE_NANOS, kernelSleepersAt);
            } catch (IllegalStateException e) {
                synchronized (this) {
                    inKernel = false;
                    ended = true;
                    SLEEPERS.remove(key, this);
                    releaseAll(exclusive);
                    releaseAll(shared);
                }
                unparkReleased();
                throw e;
            }
            wasWoken = result == Futex.WOKEN;
            timedOut = result == Futex.TIMED_OUT;
        }
    }

    /** With no waiters: waits for one, up to {@link #LINGER_NANOS}; false (and unregistered) if none came. */
    private boolean lingerForWaiters() {
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (exclusive.isEmpty() && shared.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                ended = true;
                SLEEPERS.remove(key, this);
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                // Nobody interrupts this thread; keep lingering until the deadline.
            }
        }
        return true;
    }

    /**
     * Releases the shared waiters that saw another value than {@code current}, and the oldest
     * exclusive one if it did; with {@code woken} (a kernel wake-up) and nothing stale, the oldest
     * waiter anyway. Returns whether any was released. Holds this.
     */
    private boolean releaseStale(int current, boolean woken) {
        boolean any = false;
        for (Waiter w = shared.head; w != null; ) {
            Waiter next = w.next;
            if (w.expected != current) {
                release(shared, w);
                any = true;
            }
            w = next;
        }
        Waiter head = exclusive.head;
        if (head != null && exclusiveSeen != current) {
            release(exclusive, head);
            any = true;
        }
        if (woken && !any) {
            any = releaseOldest(exclusive) || releaseOldest(shared);
        }
        return any;
    }

    private boolean releaseOldest(WaitList list) {
        Waiter head = list.head;
        if (head == null) {
            return false;
        }
        release(list, head);
        return true;
    }

    private void releaseAll(WaitList list) {
        while (list.head != null) {
            release(list, list.head);
        }
    }

    /** Unlinks and marks the waiter; its thread is unparked by {@link #unparkReleased()}, outside the lock. */
    private void release(WaitList list, Waiter waiter) {
        unlink(list, waiter);
        toUnpark.add(waiter.thread);
    }

    /** Unlinks and marks the waiter, for whoever unparks it. Holds this. */
    private void unlink(WaitList list, Waiter waiter) {
        list.remove(waiter);
        waiter.released = true;
    }

    /**
     * Unparks the threads released meanwhile, holding no lock; of many, only the first: every
     * released thread, as it leaves ({@link #deregister}), unparks two more ({@link #passOnUnparks}),
     * so ten thousand are all running after some fourteen rounds, and the sleeper is back in the
     * kernel at once instead of unparking them all itself (while it is not there, a wake-up of one
     * sleeper finds none, and its waker bumps the word, which then releases every waiter).
     */
    private void unparkReleased() {
        List<Thread> threads;
        synchronized (this) {
            if (toUnpark.isEmpty()) {
                return;
            }
            threads = toUnpark;
            toUnpark = new ArrayList<>();
        }
        if (threads.size() <= FAN_OUT) {
            for (Thread thread : threads) {
                LockSupport.unpark(thread);
            }
            return;
        }
        pendingUnparks.addAll(threads.subList(1, threads.size()));
        LockSupport.unpark(threads.get(0));
        passOnUnparks(); // in case every thread handed out has left already
    }

    /** Unparks up to {@link #FAN_OUT} threads released and not yet unparked. */
    private void passOnUnparks() {
        for (int i = 0; i < FAN_OUT; i++) {
            Thread next = pendingUnparks.poll();
            if (next == null) {
                return;
            }
            LockSupport.unpark(next);
        }
    }
}
