package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Children;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;

/**
 * Beyond CPython: a waiter is not left waiting for ever on a lock whose holder process died. It
 * takes the lock over within about a second and learns the dead pid from an OwnerDiedException.
 */
class HolderDeathTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final int SIGKILL = 9;

    @Test
    void aWaiterTakesALockOverFromAHolderKilledWhileItWaits() throws Exception {
        Lock lock = new Lock();
        Event holding = new Event();
        try (Children children = new Children()) {
            ChildProcess holder = children.start(() -> holdForever(lock, holding));
            assertTrue(holding.await(CHILD_TIMEOUT));
            long holderPid = holder.pid().getAsLong();

            CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> acquireExpectingDeath(lock));
            Thread.sleep(300); // the waiter is asleep on the lock now
            assertFalse(waiter.isDone());
            long killed = System.nanoTime();
            POSIXFactory.getPOSIX().kill((int) holderPid, SIGKILL); // an independent killer
            Throwable outcome = waiter.get(30, TimeUnit.SECONDS);
            long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

            assertTrue(outcome instanceof OwnerDiedException, "outcome: " + outcome);
            assertEquals(holderPid, ((OwnerDiedException) outcome).deadPid());
            assertTrue(outcome.getMessage().contains("process " + holderPid), outcome.getMessage());
            assertTrue(noticedMs < 1_500, "noticed the death after " + noticedMs + " ms");
            assertTrue(holder.join(CHILD_TIMEOUT));
            assertEquals(-SIGKILL, holder.exitCode().getAsInt());
        }
        assertEquals(ProcessHandle.current().pid(), lock.holderPid(), "the waiter holds the lock now");
        lock.release();
        assertTrue(lock.tryLock());
        lock.release();
    }

    private static Throwable acquireExpectingDeath(Lock lock) {
        try {
            lock.acquire();
            return new AssertionError("acquired without hearing of the holder's death");
        } catch (Throwable t) {
            return t;
        }
    }

    static void holdForever(ProcessLock lock, Event holding) throws InterruptedException {
        lock.acquire();
        holding.set();
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void anRLockOfADeadHolderIsTakenOverWithACountOfOne() throws Exception {
        RLock lock = new RLock();
        Event holding = new Event();
        long holderPid;
        try (Children children = new Children()) {
            ChildProcess holder = children.start(() -> holdTwiceThenDie(lock, holding));
            assertTrue(holding.await(CHILD_TIMEOUT));
            holderPid = holder.pid().getAsLong();
            assertTrue(holder.join(CHILD_TIMEOUT), "the holder exits (with the lock held)");
        }
        OwnerDiedException e = assertThrows(OwnerDiedException.class, () -> lock.acquire(Duration.ofSeconds(10)));
        assertEquals(holderPid, e.deadPid());
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(1, lock.getHoldCount());
        lock.release();
        assertFalse(lock.isHeldByCurrentThread());
    }

    static void holdTwiceThenDie(RLock lock, Event holding) throws InterruptedException {
        lock.acquire();
        lock.acquire();
        holding.set();
        Runtime.getRuntime().halt(3);
    }

    @Test
    void aConditionWaiterWhoseLockHolderDiesHoldsTheLockAsOftenAsBefore() throws Exception {
        RLock lock = new RLock();
        Condition condition = new Condition(lock);
        Event holding = new Event();
        lock.acquire();
        lock.acquire();
        try (Children children = new Children()) {
            ChildProcess holder = children.start(() -> signalThenDieHolding(condition, holding));
            OwnerDiedException e = assertThrows(OwnerDiedException.class, () -> condition.await(Duration.ofSeconds(30)));
            assertEquals(holder.pid().getAsLong(), e.deadPid());
        }
        assertEquals(2, lock.getHoldCount(), "the wait's two holds are restored");
        lock.release();
        lock.release();
        assertFalse(lock.isHeldByCurrentThread());
    }

    static void signalThenDieHolding(Condition condition, Event holding) throws InterruptedException {
        condition.acquire();
        condition.signal();
        holding.set();
        Runtime.getRuntime().halt(3); // dies holding the condition's lock
    }

    @Test
    void aLiveHolderIsNotMistakenForADeadOne() throws Exception {
        Lock lock = new Lock();
        Event holding = new Event();
        try (Children children = new Children()) {
            children.start(() -> holdForever(lock, holding));
            assertTrue(holding.await(CHILD_TIMEOUT));
            assertFalse(lock.acquire(Duration.ofMillis(1_200)), "several liveness checks, all alive");
        }
    }
}
