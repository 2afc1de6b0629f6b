package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.sync.SemaphoreWord;
import io.multiprocessing4j.support.Children;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SemaphoreTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void glibcsSemaphoreLayoutIsRecognisedSoTheFastPathIsInJava() {
        assertTrue(SemaphoreWord.javaFastPath(), "x86_64/aarch64 glibc: the layout probe should pass");
    }

    @Test
    void unitsAreCountedAcrossProcesses() throws Exception {
        Semaphore semaphore = new Semaphore(3);
        Semaphore taken = new Semaphore(0);
        Event finish = new Event();
        try (Children children = new Children()) {
            for (int i = 0; i < 3; i++) {
                children.start(() -> takeAndHold(semaphore, taken, finish));
            }
            for (int i = 0; i < 3; i++) {
                assertTrue(taken.acquire(CHILD_TIMEOUT), "child " + i + " took its unit");
            }
            assertEquals(0, semaphore.getValue());
            assertFalse(semaphore.tryAcquire(), "all three units are held by the children");
            long began = System.nanoTime();
            assertFalse(semaphore.acquire(Duration.ofMillis(200)));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertTrue(waited >= 195 && waited < 1_700, "waited " + waited + " ms for 200 ms");

            finish.set();
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals(3, semaphore.getValue());
        assertTrue(semaphore.acquire(false));
        assertEquals(2, semaphore.getValue());
    }

    static void takeAndHold(Semaphore semaphore, Semaphore taken, Event finish) throws InterruptedException {
        assertTrue(semaphore.acquire(Duration.ofSeconds(30)));
        taken.release();
        assertTrue(finish.await(Duration.ofSeconds(30)));
        semaphore.release();
    }

    @Test
    void aWaiterInAnotherProcessIsWokenByARelease() throws Exception {
        Semaphore semaphore = new Semaphore(0);
        Semaphore done = new Semaphore(0);
        try (Children children = new Children()) {
            children.start(() -> takeTwoThenSignal(semaphore, done));
            assertFalse(done.acquire(Duration.ofMillis(200)), "the child cannot have taken units yet");
            semaphore.release();
            semaphore.release();
            assertTrue(done.acquire(CHILD_TIMEOUT));
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals(0, semaphore.getValue());
    }

    static void takeTwoThenSignal(Semaphore semaphore, Semaphore done) throws InterruptedException {
        semaphore.acquire();
        semaphore.acquire();
        done.release();
    }

    /**
     * A release wakes a waiter of another process only while one sleeps in the kernel (see
     * {@code SemaphoreWord.KERNEL_SLEEPERS}); both kinds of sleep are played here, a platform
     * thread's first millisecond in the kernel and, when the other side dawdles, the parked wait
     * behind its JVM's sleeper. A wake-up lost would show as a round of a sleeper's kernel slice
     * (200 ms), which ends such a wait even then.
     */
    @Test
    void everyReleaseReachesAWaiterOfAnotherProcessWhetherInTheKernelOrParked() throws Exception {
        Semaphore ping = new Semaphore(0);
        Semaphore pong = new Semaphore(0);
        int rounds = 600;
        try (Children children = new Children()) {
            children.start(() -> answerPings(ping, pong, rounds));
            int slow = 0;
            long slowest = 0;
            for (int round = 0; round < rounds; round++) {
                if (round % 10 == 5) {
                    Thread.sleep(3); // the child's wait goes past its kernel phase and parks
                }
                long began = System.nanoTime();
                ping.release();
                assertTrue(pong.acquire(CHILD_TIMEOUT), "round " + round);
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                slowest = Math.max(slowest, tookMillis);
                if (tookMillis >= 150) {
                    slow++;
                }
                // one slow round is a busy machine; a protocol that loses wake-ups loses many
                assertTrue(slow <= 1, slow + " of " + (round + 1) + " rounds took 150 ms or more (slowest "
                        + slowest + " ms)");
            }
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals(0, ping.getValue());
        assertEquals(0, pong.getValue());
    }

    static void answerPings(Semaphore ping, Semaphore pong, int rounds) throws InterruptedException {
        for (int round = 0; round < rounds; round++) {
            assertTrue(ping.acquire(Duration.ofSeconds(30)), "round " + round);
            if (round % 10 == 0) {
                Thread.sleep(3); // the parent's wait parks
            }
            pong.release();
        }
    }

    @Test
    void aPlainSemaphoreMayGoAboveItsInitialValueABoundedOneMayNot() throws Exception {
        Semaphore plain = new Semaphore(1);
        plain.release();
        assertEquals(2, plain.getValue());

        BoundedSemaphore bounded = new BoundedSemaphore(2);
        assertEquals(2, bounded.bound());
        IllegalStateException e = assertThrows(IllegalStateException.class, bounded::release);
        assertEquals("semaphore or lock released too many times", e.getMessage());
        assertEquals(2, bounded.getValue(), "nothing changed by the refused release");
        assertTrue(bounded.acquire(false));
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(() -> releaseOnceThenRefused(bounded)), CHILD_TIMEOUT);
        }
        assertEquals(2, bounded.getValue());
    }

    static void releaseOnceThenRefused(BoundedSemaphore bounded) {
        bounded.release();
        assertThrows(IllegalStateException.class, bounded::release);
    }

    @Test
    void badInputIsRefusedAtTheCall() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(e.getMessage().startsWith("semaphore initial value must be >= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-5));
        Semaphore semaphore = new Semaphore(0);
        semaphore.close();
        assertThrows(IllegalStateException.class, semaphore::release);
        assertThrows(IllegalStateException.class, semaphore::getValue);
    }

    @Test
    void holdGivesTheUnitBack() {
        Semaphore semaphore = new Semaphore(1);
        try (var held = semaphore.hold()) {
            assertEquals(0, semaphore.getValue());
        }
        assertEquals(1, semaphore.getValue());
    }
}
