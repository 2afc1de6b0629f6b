package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.function.PoolInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A pool's workers: those started, and how many are being started. Starting one may take a JVM
 * boot, so it happens in a thread of its own ({@link WorkerLauncher}); the worker joins the set
 * once its process runs. Guarded by the pool's lock (the launcher threads take it themselves).
 */
final class WorkerSet {
    /** After terminate's SIGTERM, a worker still alive this much later gets SIGKILL. */
    private static final long KILL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicInteger WORKER_NUMBERS = new AtomicInteger();

    private final String poolName;
    private final ProcessContext context;
    private final int maxTasksPerChild;
    private final PoolInitializer initializer;
    private final ReentrantLock lock;
    private final WakeupPipe wakeup;
    /** Told why the pool cannot go on when a worker cannot be started. */
    private final Consumer<Throwable> breakPool;

    // Guarded by lock.
    private final List<WorkerHandle> workers = new ArrayList<>();
    private int launching;
    /** Set at the pool's termination: a worker that connects after it is killed at once. */
    private boolean terminating;

    WorkerSet(String poolName, ProcessContext context, int maxTasksPerChild, PoolInitializer initializer,
              ReentrantLock lock, WakeupPipe wakeup, Consumer<Throwable> breakPool) {
        this.poolName = poolName;
        this.context = context;
        this.maxTasksPerChild = maxTasksPerChild;
        this.initializer = initializer;
        this.lock = lock;
        this.wakeup = wakeup;
        this.breakPool = breakPool;
    }

    /** The started workers; the live list, for iteration under the lock without changing it. */
    List<WorkerHandle> all() {
        return workers;
    }

    /** A copy of the started workers, to use outside the lock or while the set may change. */
    List<WorkerHandle> snapshot() {
        return new ArrayList<>(workers);
    }

    /** Whether no worker is left and none is being started. */
    boolean isGone() {
        return workers.isEmpty() && launching == 0;
    }

    boolean isTerminating() {
        return terminating;
    }

    /** A worker's exit has been handled: it is no longer part of the pool. */
    void remove(WorkerHandle worker) {
        workers.remove(worker);
    }

    /** Starts workers until {@code size} serve the pool (starting or ready, quota not spent). */
    void maintain(int size) {
        int serving = 0;
        for (WorkerHandle worker : workers) {
            if (worker.isServing()) {
                serving++;
            }
        }
        if (serving + launching < size) {
            WorkerLauncher.expectStarts(context, size);
        }
        for (int i = serving + launching; i < size; i++) {
            launch();
        }
    }

    /** Starts a worker in a thread of its own; the future completes once its process runs (or failed). */
    CompletableFuture<Void> launch() {
        CompletableFuture<Void> launched = new CompletableFuture<>();
        Thread thread = new Thread(reserveLaunch(launched), poolName + "-launcher");
        thread.setDaemon(true);
        thread.start();
        return launched;
    }

    /**
     * Counts a worker as being started and returns what starts it, for the caller to run (outside
     * the lock): a pool's start runs its last launch in its own thread, beside the others' threads,
     * rather than waiting idle for them. {@code launched} completes once its process runs (or failed).
     */
    Runnable reserveLaunch(CompletableFuture<Void> launched) {
        launching++;
        String workerName = "PoolWorker-" + WORKER_NUMBERS.incrementAndGet();
        return () -> {
            try {
                WorkerHandle worker = WorkerLauncher.launch(workerName, context, maxTasksPerChild, initializer);
                started(worker);
                launched.complete(null);
            } catch (Throwable failure) {
                launchFailed(failure);
                launched.completeExceptionally(failure);
            }
        };
    }

    private void started(WorkerHandle worker) {
        lock.lock();
        try {
            launching--;
            workers.add(worker);
            if (terminating) {
                worker.kill();
            }
            wakeup.wake(); // the supervisor must watch the new worker's connection and sentinel
        } finally {
            lock.unlock();
        }
    }

    private void launchFailed(Throwable failure) {
        lock.lock();
        try {
            launching--;
            if (!terminating) {
                breakPool.accept(failure instanceof ProcessStartException ? failure
                        : new ProcessStartException("cannot start a pool worker: " + failure, failure));
            }
            wakeup.wake();
        } finally {
            lock.unlock();
        }
    }

    /** Python's terminate(): SIGTERM to every worker, SIGKILL a second later to those still there. */
    void terminateAll(long now) {
        terminating = true;
        for (WorkerHandle worker : workers) {
            worker.terminate(now + KILL_GRACE_NANOS);
        }
    }

    /** SIGKILL to every worker, whatever its state (after an internal error). */
    void killAllNow() {
        for (WorkerHandle worker : workers) {
            worker.signal(true);
        }
    }

    /** The pids of the workers not yet gone. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (WorkerHandle worker : workers) {
            if (worker.state() != WorkerHandle.State.EXITED) {
                pids.add(worker.pid);
            }
        }
        return pids;
    }
}
