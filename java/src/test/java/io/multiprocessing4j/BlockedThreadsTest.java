package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.synchronize.Barrier;
import io.multiprocessing4j.synchronize.Condition;
import io.multiprocessing4j.synchronize.Event;
import io.multiprocessing4j.synchronize.Lock;
import io.multiprocessing4j.synchronize.RLock;
import io.multiprocessing4j.synchronize.Semaphore;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread blocked in any of our waits looks blocked and reacts to interrupts as the JDK's own
 * primitives do: a thread dump shows it WAITING (TIMED_WAITING with a timeout), not RUNNABLE; an
 * interrupt releases it within milliseconds; an already interrupted thread throws at once, with a
 * zero or negative timeout too, even where the call would succeed without waiting.
 */
@Timeout(120)
class BlockedThreadsTest {
    /** Generous for a loaded 2-core machine; typical figures are well under a millisecond. */
    private static final long INTERRUPT_BOUND_MILLIS = 100;

    private static final List<AutoCloseable> CLOSE_AFTER = new ArrayList<>();
    private static Event childGo;
    private static ChildProcess child;
    private static Pool pool;
    private static AsyncResult<Boolean> pending;
    static volatile Event workerGo;

    @BeforeAll
    static void startAChildAndAPool() throws Exception {
        childGo = new Event();
        Event go = childGo;
        child = new ChildProcess(() -> go.await());
        child.setDaemon(true);
        child.start();
        pool = new Pool(1, () -> workerGo = go);
        pending = pool.applyAsync(() -> workerGo.await());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        childGo.set();
        child.join(Duration.ofSeconds(30));
        pool.close();
        for (AutoCloseable closeable : CLOSE_AFTER) {
            closeable.close();
        }
    }

    interface Blocking {
        void run() throws Exception;
    }

    /** A wait that blocks for good unless interrupted, by name. */
    private static List<Object[]> blockingCalls() throws Exception {
        List<Object[]> calls = new ArrayList<>();
        Event event = keep(new Event());
        calls.add(call("Event.await", event::await));
        Lock lock = keep(new Lock());
        lock.acquire();
        calls.add(call("Lock.acquire", lock::acquire));
        calls.add(call("Lock.lockInterruptibly", lock::lockInterruptibly));
        RLock rlock = keep(new RLock());
        CompletableFuture.runAsync(rlock::lock).get(); // held by another thread
        calls.add(call("RLock.acquire", rlock::acquire));
        Condition condition = keep(new Condition());
        calls.add(call("Condition.await", () -> {
            condition.acquire();
            try {
                condition.await();
            } finally {
                condition.release();
            }
        }));
        Semaphore semaphore = keep(new Semaphore(0));
        calls.add(call("Semaphore.acquire", semaphore::acquire));
        Barrier barrier = keep(new Barrier(1_000));
        calls.add(call("Barrier.await", barrier::await));
        Pipe pipe = keep(Pipe.open());
        calls.add(call("Connection.recv", pipe.first()::recv));
        calls.add(call("Multiprocessing.wait", () -> Multiprocessing.wait(List.of(pipe.first(), child))));
        Listener listener = keep(new Listener());
        calls.add(call("Listener.accept", listener::accept));
        calls.add(call("ChildProcess.join", child::join));
        calls.add(call("AsyncResult.get", pending::get));
        return calls;
    }

    /** Waits of the queues: a get, and a put held back by maxsize, wait without slices as the others do. */
    private static List<Object[]> queueCalls() throws Exception {
        List<Object[]> calls = new ArrayList<>();
        Queue<Integer> empty = keep(new Queue<>());
        calls.add(call("Queue.get", empty::get));
        Queue<Integer> full = keep(new Queue<>(1));
        full.put(1);
        calls.add(call("Queue.put", () -> full.put(2)));
        return calls;
    }

    @Test
    void aBlockedThreadWaitsAndAnInterruptReleasesItAtOnce() throws Exception {
        List<String> report = new ArrayList<>();
        for (Object[] call : blockingCalls()) {
            report.add(check((String) call[0], (Blocking) call[1], Set.of(Thread.State.WAITING)));
        }
        for (Object[] call : queueCalls()) {
            report.add(check((String) call[0], (Blocking) call[1], Set.of(Thread.State.WAITING)));
        }
        System.out.println("interrupt latency: " + String.join(", ", report));
    }

    @Test
    void aTimedWaitShowsTimedWaiting() throws Exception {
        Event event = keep(new Event());
        check("Event.await(timeout)", () -> event.await(Duration.ofDays(1)), Set.of(Thread.State.TIMED_WAITING));
        Lock lock = keep(new Lock());
        lock.acquire();
        check("Lock.acquire(timeout)", () -> lock.acquire(Duration.ofDays(1)), Set.of(Thread.State.TIMED_WAITING));
        Pipe pipe = keep(Pipe.open());
        check("Connection.poll(timeout)", () -> pipe.first().poll(Duration.ofDays(1)),
                Set.of(Thread.State.TIMED_WAITING));
    }

    @Test
    void anInterruptedThreadThrowsAtOnceWhateverTheTimeout() throws Exception {
        Event set = keep(new Event());
        set.set();
        Lock free = keep(new Lock());
        Semaphore available = keep(new Semaphore(5));
        Condition condition = keep(new Condition());
        Pipe pipe = keep(Pipe.open());
        pipe.second().send("ready");
        assertTrue(pipe.first().poll(Duration.ofSeconds(10)));
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofSeconds(10))) {
            preInterrupted("Event.await " + timeout, () -> set.await(timeout), InterruptedException.class);
            preInterrupted("Lock.acquire " + timeout, () -> free.acquire(timeout), InterruptedException.class);
            preInterrupted("Lock.tryLock " + timeout, () -> free.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS),
                    InterruptedException.class);
            preInterrupted("Semaphore.acquire " + timeout, () -> available.acquire(timeout),
                    InterruptedException.class);
            preInterrupted("Condition.await " + timeout, () -> {
                condition.getLock().lock(); // not interruptible: the await is what is checked
                try {
                    condition.await(timeout);
                } finally {
                    condition.release();
                }
            }, InterruptedException.class);
            preInterrupted("ChildProcess.join " + timeout, () -> child.join(timeout), InterruptedException.class);
            preInterrupted("Connection.poll " + timeout, () -> pipe.first().poll(timeout), InterruptedIOException.class);
            preInterrupted("Multiprocessing.wait " + timeout, () -> Multiprocessing.wait(List.of(pipe.first()), timeout),
                    InterruptedIOException.class);
        }
        assertFalse(free.isHeldByCurrentThread());
        assertEquals(5, available.getValue(), "no unit was taken");
        assertEquals("ready", pipe.first().recv(), "nothing was consumed");
    }

    @Test
    void negativeTimeoutsCountAsZero() throws Exception {
        Lock lock = keep(new Lock());
        CompletableFuture.runAsync(() -> lock.lock()).get();
        Event event = keep(new Event());
        Semaphore semaphore = keep(new Semaphore(0));
        Duration negative = Duration.ofSeconds(-5);
        long began = System.nanoTime();
        assertFalse(lock.acquire(negative));
        assertFalse(lock.tryLock(-5, TimeUnit.SECONDS));
        assertFalse(event.await(negative));
        assertFalse(semaphore.acquire(negative));
        assertFalse(child.join(negative));
        Pipe pipe = keep(Pipe.open());
        assertFalse(pipe.first().poll(negative));
        assertEquals(List.of(), Multiprocessing.wait(List.of(pipe.first()), negative));
        assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(5), "none of them waited");
        Barrier barrier = keep(new Barrier(2));
        assertThrows(java.util.concurrent.BrokenBarrierException.class, () -> barrier.await(negative),
                "a barrier that times out breaks, as with a zero timeout");
    }

    private static void preInterrupted(String what, Blocking blocking, Class<? extends Throwable> expected) {
        Thread.currentThread().interrupt();
        try {
            blocking.run();
            fail(what + ": an interrupted thread returned normally");
        } catch (Throwable t) {
            if (!expected.isInstance(t)) {
                throw new AssertionError(what + ": threw " + t, t);
            }
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * Starts a platform thread in {@code blocking}, checks that it shows one of {@code states},
     * interrupts it, and checks that it ends, with the matching exception, within the bound.
     * Returns "name: latency".
     */
    private static String check(String name, Blocking blocking, Set<Thread.State> states) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                blocking.run();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Thread.State state = thread.getState();
        // Past any spin, the thread parks: wait until it shows a waiting state for good.
        while (!states.contains(state) && System.nanoTime() < deadline) {
            Thread.sleep(5);
            state = thread.getState();
        }
        Thread.sleep(50);
        // Looked at again: still waiting. (A waiter that looks around now and then, as a lock's
        // oldest waiter checking that the holder lives, may be caught awake for a moment.)
        state = thread.getState();
        while (!states.contains(state) && System.nanoTime() < deadline) {
            Thread.sleep(1);
            state = thread.getState();
        }
        assertTrue(states.contains(state), name + ": a blocked thread shows " + state + ", not one of " + states);
        assertFalse(outcome.isDone(), name + " returned without being released: " + outcome.getNow(null));
        long interrupted = System.nanoTime();
        thread.interrupt();
        Throwable thrown = outcome.get(30, TimeUnit.SECONDS);
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - interrupted);
        assertTrue(thrown instanceof InterruptedException || thrown instanceof InterruptedIOException,
                name + ": an interrupt gave " + thrown);
        assertTrue(micros < INTERRUPT_BOUND_MILLIS * 1000, name + ": the interrupt took " + micros + " µs");
        return name + " " + micros + " µs";
    }

    private static Object[] call(String name, Blocking blocking) {
        return new Object[] {name, blocking};
    }

    private static <T extends AutoCloseable> T keep(T closeable) {
        CLOSE_AFTER.add(closeable);
        return closeable;
    }
}
