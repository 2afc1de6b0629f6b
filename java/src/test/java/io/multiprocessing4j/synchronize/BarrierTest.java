package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.SharedCounter;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import org.junit.jupiter.api.Test;

class BarrierTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    /** A child's exit code when its wait ended with BrokenBarrierException. */
    private static final int BROKEN = 42;

    @Test
    void threeProcessesPassTogetherWithDistinctIndicesAndOneActionPerRound() throws Exception {
        SharedCounter actions = new SharedCounter();
        SharedCounter indexSum = new SharedCounter();
        Barrier barrier = new Barrier(3, () -> actions.add(1));
        assertEquals(3, barrier.parties());
        try (Children children = new Children()) {
            for (int i = 0; i < 2; i++) {
                children.start(() -> passRounds(barrier, indexSum, 5));
            }
            passRounds(barrier, indexSum, 5);
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals(5, actions.get(), "one action per round");
        assertEquals(5 * (0 + 1 + 2), indexSum.get(), "each round's indices are 0, 1 and 2");
        assertFalse(barrier.isBroken());
        assertEquals(0, barrier.nWaiting());
    }

    static void passRounds(Barrier barrier, SharedCounter indexSum, int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            int index = barrier.await(Duration.ofSeconds(30));
            assertTrue(index >= 0 && index < 3, "index " + index);
            indexSum.add(index);
        }
    }

    @Test
    void abortBreaksItForEveryWaiterUntilReset() throws Exception {
        Barrier barrier = new Barrier(3);
        try (Children children = new Children()) {
            ChildProcess first = children.start(() -> expectBroken(barrier));
            ChildProcess second = children.start(() -> expectBroken(barrier));
            awaitWaiting(barrier, 2);
            barrier.abort();
            assertTrue(barrier.isBroken());
            assertChildExit(first, BROKEN);
            assertChildExit(second, BROKEN);
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofSeconds(1)),
                    "broken for later waits too");

            barrier.reset();
            assertFalse(barrier.isBroken());
            SharedCounter indexSum = new SharedCounter();
            ChildProcess third = children.start(() -> passRounds(barrier, indexSum, 1));
            ChildProcess fourth = children.start(() -> passRounds(barrier, indexSum, 1));
            passRounds(barrier, indexSum, 1);
            Children.assertExitsCleanly(third, CHILD_TIMEOUT);
            Children.assertExitsCleanly(fourth, CHILD_TIMEOUT);
            assertEquals(0 + 1 + 2, indexSum.get());
        }
    }

    @Test
    void aTimedOutWaitBreaksItForEveryWaiter() throws Exception {
        Barrier barrier = new Barrier(3);
        try (Children children = new Children()) {
            ChildProcess patient = children.start(() -> expectBroken(barrier));
            awaitWaiting(barrier, 1);
            long began = System.nanoTime();
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofMillis(300)));
            long waited = (System.nanoTime() - began) / 1_000_000;
            assertTrue(waited >= 295 && waited < 1_800, "waited " + waited + " ms for 300 ms");
            assertTrue(barrier.isBroken());
            assertChildExit(patient, BROKEN);
        }
    }

    @Test
    void theDefaultTimeoutApplies() throws Exception {
        Barrier barrier = new Barrier(2, null, Duration.ofMillis(200));
        assertThrows(BrokenBarrierException.class, barrier::await);
        assertTrue(barrier.isBroken());
    }

    @Test
    void resetWhileWaitingBreaksTheRoundThenTheBarrierWorksAgain() throws Exception {
        Barrier barrier = new Barrier(2);
        try (Children children = new Children()) {
            ChildProcess waiter = children.start(() -> expectBroken(barrier));
            awaitWaiting(barrier, 1);
            barrier.reset();
            assertChildExit(waiter, BROKEN);
            assertFalse(barrier.isBroken());
            ChildProcess partner = children.start(() -> barrier.await(Duration.ofSeconds(30)));
            assertTrue(barrier.await(Duration.ofSeconds(30)) >= 0);
            Children.assertExitsCleanly(partner, CHILD_TIMEOUT);
        }
    }

    @Test
    void anActionThatThrowsBreaksTheBarrier() throws Exception {
        Barrier barrier = new Barrier(1, () -> {
            throw new IllegalStateException("action failed");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, barrier::await);
        assertEquals("action failed", e.getMessage());
        assertTrue(barrier.isBroken());
    }

    @Test
    void badInputIsRefusedAtTheCall() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-3));
        Barrier barrier = new Barrier(2);
        barrier.close();
        assertThrows(IllegalStateException.class, barrier::await);
    }

    static void expectBroken(Barrier barrier) throws InterruptedException {
        try {
            barrier.await(Duration.ofSeconds(30));
        } catch (BrokenBarrierException expected) {
            System.exit(BROKEN);
        }
    }

    private static void awaitWaiting(Barrier barrier, int parties) throws InterruptedException {
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (barrier.nWaiting() < parties) {
            assertTrue(System.nanoTime() < deadline, "parties arrived");
            Thread.sleep(10);
        }
    }

    private static void assertChildExit(ChildProcess child, int code) throws InterruptedException {
        assertTrue(child.join(CHILD_TIMEOUT), child + " ended");
        assertEquals(code, child.exitCode().getAsInt(), child + "'s exit code");
    }
}
