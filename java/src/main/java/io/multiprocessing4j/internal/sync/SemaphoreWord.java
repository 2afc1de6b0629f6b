package io.multiprocessing4j.internal.sync;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.NativeLibrary;
import io.multiprocessing4j.internal.nativ.PosixSemaphores;
import io.multiprocessing4j.internal.nativ.ScratchBuffer;
import io.multiprocessing4j.internal.time.Durations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * A POSIX semaphore ({@code sem_init(pshared=1)}) in shared memory, with its uncontended paths in Java.
 *
 * <p>glibc's 64-bit {@code sem_t} starts with one 64-bit word: the value in the low 32 bits, the
 * number of sleeping waiters in the high 32. {@code sem_trywait} is a CAS that decrements the value;
 * {@code sem_post} a CAS that increments it, followed by a futex wake on the value's 32-bit half
 * when the waiter count is not zero. This class performs exactly those atomics on the mapped word,
 * so taking and giving units never crosses JNI, and calls glibc only to sleep ({@code sem_timedwait},
 * which keeps the waiter count) or to wake. Whether the layout really is that one is checked once,
 * with glibc's own calls on a probe semaphore; if it is not, every operation goes through glibc.
 */
public final class SemaphoreWord {
    /** Bytes a semaphore takes; its offset must be 8-byte aligned. */
    public static final int SIZE = 32;
    /** SEM_VALUE_MAX. */
    public static final int MAX_VALUE = Integer.MAX_VALUE;
    private static final long VALUE_MASK = 0xffff_ffffL;
    /** One waiter in the high half of the word (glibc's nwaiters). */
    private static final long ONE_WAITER = 1L << 32;
    /**
     * Beyond glibc's fields (the word, {@code private}, {@code pad}): how many threads sleep in the
     * kernel on the value right now, or are about to (a platform thread's first millisecond, a
     * JVM's {@code WordSleeper}). glibc's {@code nwaiters} counts every waiter, parked ones too, so
     * a post that saw it non-zero made a {@code FUTEX_WAKE} every time: a process releasing ten
     * thousand virtual threads parked in another JVM spent 3 to 5 µs in that system call per
     * release, most of the whole release, while that JVM's sleeper was mostly out of the kernel
     * handing permits on. A post wakes only when this count is non-zero too; a sleeper counts
     * itself before it reads the value it then sleeps on, and a post adds its unit before it reads
     * this, so one of the two always sees the other ({@link SharedFutex#waitInKernel}). A process
     * killed while counted here leaves the count high: every later post wakes, as before, which
     * costs time, never a wake-up.
     */
    static final int KERNEL_SLEEPERS = 16;
    /** The layout probe's filler, which sem_init must leave as it is at {@link #KERNEL_SLEEPERS}. */
    private static final byte UNTOUCHED = 0x5a;
    /** What glibc's sem_init(pshared = 1) stores in the {@code private} field after the word. */
    private static final int GLIBC_LLL_SHARED = 128;
    private static final boolean JAVA_FAST_PATH = libraryLoads() && layoutIsKnown();

    private final ByteBuffer buffer;
    private final int offset;

    public SemaphoreWord(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
    }

    /** sem_init with pshared = 1: only on fresh memory nobody waits on yet. */
    public void init(int value) {
        if (!PosixSemaphores.init(buffer, offset, value)) {
            throw new IllegalStateException("no place for a sem_t at offset " + offset + " of " + buffer);
        }
    }

    /** Takes a unit if there is one. */
    public boolean tryAcquire() {
        if (!JAVA_FAST_PATH) {
            return PosixSemaphores.tryWait(buffer, offset);
        }
        long word = (long) LONG.getVolatile(buffer, offset);
        while ((word & VALUE_MASK) != 0) {
            long witness = (long) LONG.compareAndExchange(buffer, offset, word, word - 1);
            if (witness == word) {
                return true;
            }
            word = witness;
        }
        return false;
    }

    /**
     * Takes a unit, waiting at most {@code timeoutNanos} (negative: no limit); false on timeout.
     * With {@code interruptible}, an interrupt ends the wait with InterruptedException.
     */
    public boolean acquire(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (tryAcquire()) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        if (WaitPolicy.spinUntil(this::tryAcquire)) {
            return true;
        }
        if (!JAVA_FAST_PATH) {
            return acquireThroughGlibc(timeoutNanos, interruptible);
        }
        return sleepUntilAcquired(timeoutNanos, interruptible);
    }

    /**
     * glibc's own slow path ({@code __new_sem_wait_slow}), with a parked thread instead of one asleep
     * in the kernel: count ourselves in the waiters (the high half), sleep on the value's half while it
     * is 0, and take a unit and count ourselves out in one CAS. A {@code sem_post} by glibc or by
     * {@link #release} in any process sees the waiter count and wakes the word.
     */
    private boolean sleepUntilAcquired(long timeoutNanos, boolean interruptible) throws InterruptedException {
        long deadline = Durations.deadline(timeoutNanos);
        LONG.getAndAdd(buffer, offset, ONE_WAITER);
        boolean counted = true;
        try {
            while (true) {
                long word = (long) LONG.getVolatile(buffer, offset);
                if ((word & VALUE_MASK) != 0) {
                    if (LONG.compareAndSet(buffer, offset, word, word - 1 - ONE_WAITER)) {
                        counted = false;
                        return true;
                    }
                    continue;
                }
                long sleep = -1;
                if (timeoutNanos >= 0) {
                    sleep = deadline - System.nanoTime();
                    if (sleep <= 0) {
                        return false;
                    }
                }
                if (interruptible && Thread.interrupted()) {
                    throw new InterruptedException();
                }
                SharedFutex.sleepForUnit(buffer, offset, offset + KERNEL_SLEEPERS, sleep, interruptible);
            }
        } finally {
            if (counted) {
                LONG.getAndAdd(buffer, offset, -ONE_WAITER);
            }
        }
    }

    /**
     * Where glibc's layout is not the one we know: {@code sem_timedwait} in slices, which holds a
     * virtual thread's carrier (as the kernel sleep of any native call does).
     */
    private boolean acquireThroughGlibc(long timeoutNanos, boolean interruptible) throws InterruptedException {
        long deadline = Durations.deadline(timeoutNanos);
        while (true) {
            long sleep = TimeUnit.MILLISECONDS.toNanos(1);
            if (timeoutNanos >= 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                sleep = Math.min(sleep, left);
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (PosixSemaphores.waitFor(buffer, offset, sleep)) {
                return true;
            }
        }
    }

    /**
     * Gives a unit back unless the value is already {@code bound} (or SEM_VALUE_MAX); false then.
     * The bound is checked in the same CAS that increments, so two releasers cannot both pass it.
     */
    public boolean release(int bound) {
        if (!JAVA_FAST_PATH) {
            if (bound < MAX_VALUE && value() >= bound) {
                return false; // check-then-post, as CPython does; only without the fast path
            }
            return PosixSemaphores.post(buffer, offset); // false at SEM_VALUE_MAX
        }
        long word = (long) LONG.getVolatile(buffer, offset);
        while (true) {
            if ((word & VALUE_MASK) >= Math.min(bound, MAX_VALUE)) {
                return false;
            }
            long witness = (long) LONG.compareAndExchange(buffer, offset, word, word + 1);
            if (witness == word) {
                break;
            }
            word = witness;
        }
        if ((word >>> 32) != 0 && (int) INT.getVolatile(buffer, offset + KERNEL_SLEEPERS) != 0) {
            // The value's half is the futex word the sleepers wait on.
            SharedFutex.wake(buffer, offset, 1);
        }
        return true;
    }

    /** The current value (sem_getvalue). */
    public int value() {
        if (!JAVA_FAST_PATH) {
            return PosixSemaphores.getValue(buffer, offset);
        }
        return (int) ((long) LONG.getVolatile(buffer, offset) & VALUE_MASK);
    }

    /** How many threads are counted as asleep in the kernel on the value (for tests). */
    int kernelSleepers() {
        return (int) INT.getVolatile(buffer, offset + KERNEL_SLEEPERS);
    }

    /** Whether the Java fast path is in use (for tests and benchmarks). */
    public static boolean javaFastPath() {
        return JAVA_FAST_PATH;
    }

    /**
     * Whether our library loads. When it does not, every operation takes the glibc path, whose
     * first call reports why (the same on every call), instead of this class failing to initialize.
     */
    private static boolean libraryLoads() {
        try {
            NativeLibrary.load();
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /**
     * Checks glibc's layout with glibc's own calls on a probe semaphore: sem_init's value must be the
     * low half of the first word, with no waiters; the next int must say "process-shared futex"
     * (glibc stores LLL_SHARED there, which is FUTEX_PRIVATE_FLAG, XORed into the futex operation);
     * a Java decrement must show in sem_getvalue, and a sem_trywait in the word. Any surprise, and
     * every operation goes through glibc instead. The native smoke test checks the same layout for
     * every architecture the jar carries (the aarch64 one under qemu).
     */
    private static boolean layoutIsKnown() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN || PosixSemaphores.size() != SIZE) {
            return false;
        }
        try (ScratchBuffer scratch = ScratchBuffer.allocate(2 * SIZE)) {
            return layoutIsKnown(scratch.buffer());
        } catch (SystemCallException noMemory) {
            return false; // not even a page: glibc's calls, as on any surprise
        }
    }

    private static boolean layoutIsKnown(ByteBuffer probe) {
        for (int i = 0; i < probe.capacity(); i++) {
            probe.put(i, UNTOUCHED); // to see below that sem_init leaves the kernel sleepers' count alone
        }
        int at = 0;
        while (at < SIZE && !PosixSemaphores.init(probe, at, 3)) {
            at += 8; // find an 8-byte aligned spot
        }
        if (at >= SIZE) {
            return false;
        }
        return (int) INT.getVolatile(probe, at + KERNEL_SLEEPERS) == UNTOUCHED * 0x0101_0101
                && (long) LONG.getVolatile(probe, at) == 3L
                && (int) INT.getVolatile(probe, at + 8) == GLIBC_LLL_SHARED
                && LONG.compareAndSet(probe, at, 3L, 2L)
                && PosixSemaphores.getValue(probe, at) == 2
                && PosixSemaphores.tryWait(probe, at)
                && (long) LONG.getVolatile(probe, at) == 1L;
    }
}
