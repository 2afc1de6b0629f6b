package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;

/**
 * A {@code Barrier} that lives in a {@link Manager}'s server (Python's {@code m.Barrier(parties)}):
 * {@link #await()} returns once {@code parties} threads, of any processes, wait on it. As in
 * Python, a waiter that times out or is interrupted breaks the barrier: the others get a
 * {@link BrokenBarrierException}, and so does every wait until {@link #reset()}. There is no
 * action (Python's {@code action} would run in the server); run it where
 * {@link #await()} returns 0.
 */
public final class BarrierProxy implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    BarrierProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    /** Waits for the other parties; answers this arrival's index, 0 to parties - 1, unique per trip. */
    public int await() throws InterruptedException, BrokenBarrierException {
        return await(-1);
    }

    /** As {@link #await()}, waiting at most {@code timeout}; then the barrier breaks (as in Python). */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException {
        return await(Proxies.nanos(timeout));
    }

    private int await(long timeoutNanos) throws InterruptedException, BrokenBarrierException {
        long start = System.nanoTime();
        long[] arrival;
        try {
            arrival = (long[]) handle.call("arrive");
        } catch (IllegalStateException e) {
            throw brokenOr(e);
        }
        boolean passed = false;
        try {
            long left = timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - (System.nanoTime() - start));
            passed = !ProxyHandle.timedOut(handle.callWaiting("awaitTrip", left, true, arrival[1]));
        } catch (IllegalStateException e) {
            throw brokenOr(e);
        } finally {
            if (!passed) {
                abortQuietly(); // timed out or interrupted: the others must not wait for us
            }
        }
        if (!passed) {
            throw new BrokenBarrierException("timed out waiting at the manager's barrier (it is broken now)");
        }
        return (int) arrival[0];
    }

    /** The barrier's breakage as the local exception, or {@code e} itself (thrown) if it is another failure. */
    private static BrokenBarrierException brokenOr(IllegalStateException e) {
        BrokenBarrierException broken = Proxies.brokenBarrier(e);
        if (broken == null) {
            throw e;
        }
        return broken;
    }

    private void abortQuietly() {
        try {
            handle.call("abort");
        } catch (RuntimeException gone) {
            // the manager is gone: nobody waits there any more
        }
    }

    /** Python's {@code reset()}: waiters get a {@link BrokenBarrierException}; the barrier is usable again. */
    public void reset() {
        handle.call("reset");
    }

    /** Python's {@code abort()}: breaks the barrier. */
    public void abort() {
        handle.call("abort");
    }

    /** The number of threads needed to pass. */
    public int parties() {
        return (Integer) handle.call("parties");
    }

    /** The number of threads waiting now (Python's {@code n_waiting}). */
    public int nWaiting() {
        return (Integer) handle.call("nWaiting");
    }

    /** Whether the barrier is broken. */
    public boolean isBroken() {
        return (Boolean) handle.call("isBroken");
    }

    /** Gives this proxy's reference back now (idempotent). */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return (String) handle.call("toString");
    }

    private Object writeReplace() {
        return new ProxyToken(handle);
    }
}
