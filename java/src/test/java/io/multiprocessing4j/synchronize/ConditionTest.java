package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.SharedCounter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConditionTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final int ROUNDS = 200;

    @Test
    void pingPongBetweenTwoProcesses() throws Exception {
        Condition condition = new Condition();
        SharedCounter turn = new SharedCounter(); // even: the parent's turn, odd: the child's
        try (Children children = new Children()) {
            children.start(() -> play(condition, turn, 1));
            play(condition, turn, 0);
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals(2 * ROUNDS, turn.get());
    }

    /** Takes every turn whose parity is {@code me}, ROUNDS times, handing the turn over each time. */
    static void play(Condition condition, SharedCounter turn, int me) throws InterruptedException {
        for (int round = 0; round < ROUNDS; round++) {
            condition.acquire();
            try {
                assertTrue(condition.waitFor(() -> turn.get() % 2 == me, Duration.ofSeconds(30)),
                        "my turn came (round " + round + ")");
                turn.set(turn.get() + 1);
                condition.signal();
            } finally {
                condition.release();
            }
        }
    }

    @Test
    void signalWakesAtMostNWaitersAndSignalAllTheRest() throws Exception {
        Condition condition = new Condition(new Lock());
        SharedCounter waiting = new SharedCounter();
        SharedCounter woken = new SharedCounter();
        try (Children children = new Children()) {
            for (int i = 0; i < 3; i++) {
                children.start(() -> waitOnce(condition, waiting, woken));
            }
            // Once a child has counted itself under the lock and released it by waiting, it is a waiter.
            assertTrue(pollUnderLock(condition, () -> waiting.get() == 3), "three waiters");
            condition.acquire();
            condition.signal(2);
            condition.release();
            assertTrue(pollUnderLock(condition, () -> woken.get() == 2), "two woke");
            Thread.sleep(300);
            assertEquals(2, woken.get(), "signal(2) woke no third waiter");
            condition.acquire();
            condition.signalAll();
            condition.release();
            assertTrue(pollUnderLock(condition, () -> woken.get() == 3), "the last one woke");
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
    }

    static void waitOnce(Condition condition, SharedCounter waiting, SharedCounter woken) throws InterruptedException {
        condition.acquire();
        try {
            waiting.add(1);
            assertTrue(condition.await(Duration.ofSeconds(30)), "signalled, not timed out");
            woken.add(1);
        } finally {
            condition.release();
        }
    }

    private static boolean pollUnderLock(Condition condition, java.util.function.BooleanSupplier test)
            throws InterruptedException {
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            condition.acquire();
            try {
                if (test.getAsBoolean()) {
                    return true;
                }
            } finally {
                condition.release();
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void aSignalBeforeAWaitDoesNotWakeIt() throws Exception {
        Condition condition = new Condition();
        condition.acquire();
        condition.signal();
        condition.signalAll();
        assertFalse(condition.await(Duration.ofMillis(100)), "nobody signals after the wait began");
        condition.release();
    }

    @Test
    void waitAndWaitForTimeOutAfterAboutTheTimeout() throws Exception {
        Condition condition = new Condition();
        try (var held = condition.hold()) {
            long began = System.nanoTime();
            assertFalse(condition.await(Duration.ofMillis(200)));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertTrue(waited >= 195 && waited < 1_700, "waited " + waited + " ms for 200 ms");
            assertTrue(condition.getLock().isHeldByCurrentThread(), "the lock is held again after the wait");

            began = System.nanoTime();
            assertFalse(condition.waitFor(() -> false, Duration.ofMillis(200)));
            waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertTrue(waited >= 195 && waited < 1_700, "waited " + waited + " ms for 200 ms");
            assertTrue(condition.waitFor(() -> true, Duration.ZERO));
            assertTrue(condition.await(0, TimeUnit.SECONDS) == false);
        }
    }

    @Test
    void anRLockHeldSeveralTimesIsReleasedWhileWaitingAndRestoredAfter() throws Exception {
        RLock lock = new RLock();
        Condition condition = new Condition(lock);
        assertSame(lock, condition.getLock());
        lock.acquire();
        lock.acquire();
        try (Children children = new Children()) {
            children.start(() -> signalOnce(condition));
            assertTrue(condition.await(CHILD_TIMEOUT), "the child could take the lock and signal");
            assertEquals(2, lock.getHoldCount());
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        lock.release();
        lock.release();
    }

    static void signalOnce(Condition condition) throws InterruptedException {
        condition.acquire();
        condition.signal();
        condition.release();
    }

    @Test
    void waitingOrSignallingWithoutTheLockIsAnError() {
        Condition condition = new Condition();
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class,
                () -> condition.await(Duration.ofSeconds(1)));
        assertEquals("must acquire() condition before using wait()", e.getMessage());
        e = assertThrows(IllegalMonitorStateException.class, condition::signal);
        assertEquals("lock is not owned", e.getMessage());
        assertThrows(IllegalMonitorStateException.class, condition::signalAll);
        assertThrows(IllegalArgumentException.class, () -> condition.signal(-1));
    }
}
