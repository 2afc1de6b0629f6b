package io.multiprocessing4j.internal.pool;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A pool's end as its callers wait for it: the callback thread (Python's result handler, which
 * join waits for) and the moment every worker is gone and every callback has run. A callback that
 * waits for this end would wait for itself, so it is refused or skipped from that thread.
 */
final class PoolEnd {
    private final ExecutorService callbacks;
    /** The callback thread, once started. */
    private volatile Thread callbackThread;
    private final CountDownLatch ended = new CountDownLatch(1);

    PoolEnd(String poolName) {
        this.callbacks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, poolName + "-callbacks");
            thread.setDaemon(true);
            callbackThread = thread;
            return thread;
        });
    }

    /** Where results with callbacks are delivered, one at a time, in order. */
    ExecutorService callbacks() {
        return callbacks;
    }

    boolean isCallbackThread() {
        return Thread.currentThread() == callbackThread;
    }

    /** The workers are gone: once the callbacks queued so far have run, the pool has ended. */
    void reached() {
        callbacks.shutdown();
        try {
            // Python's join() waits for the result handler, which runs the callbacks: so does ours.
            callbacks.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ended.countDown();
    }

    boolean isReached() {
        return ended.getCount() == 0;
    }

    /** Waits for the end; from a callback, throws (Python: "cannot join current thread"). */
    void await() throws InterruptedException {
        if (isCallbackThread()) {
            throw new IllegalStateException("cannot join a pool from one of its callbacks: the pool's end waits"
                    + " for its callbacks");
        }
        ended.await();
    }

    boolean await(long nanos) throws InterruptedException {
        return ended.await(nanos, TimeUnit.NANOSECONDS);
    }

    void awaitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
