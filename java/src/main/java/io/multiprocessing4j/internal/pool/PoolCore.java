package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.StartMethod;
import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import io.multiprocessing4j.internal.process.WarmSpares;
import io.multiprocessing4j.internal.time.Durations;
import io.multiprocessing4j.internal.transfer.LambdaCodec;
import io.multiprocessing4j.function.PoolInitializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool's lifecycle (run, close, terminate, join) and the door its callers come in by. The rest
 * lives in the parts it holds: the {@link WorkerSet} (starting workers, keeping the pool at its
 * size), the {@link TaskQueue} (the queue, who gets which task, the function table), and the
 * {@link WorkerEvents} (what workers say, their deaths and timeouts). Everything is guarded by
 * {@link #lock}; the {@link Supervisor} thread and the submitting threads both act through it.
 */
public final class PoolCore {
    private static final AtomicInteger POOL_NUMBERS = new AtomicInteger();

    final String name;
    /** The number of workers the pool keeps. */
    public final int processes;
    private final Duration taskTimeout;

    final ReentrantLock lock = new ReentrantLock();
    final WakeupPipe wakeup;
    final WorkerSet workers;
    final TaskQueue tasks;
    final WorkerEvents events;
    final Lifecycle lifecycle;
    private final Supervisor supervisor;
    private final PoolEnd end;
    /** Under warm: the classes of the pool's functions are noted for spares to load ahead. */
    private final boolean warm;

    private PoolCore(int processes, ProcessContext context, int maxTasksPerChild, PoolInitializer initializer,
                     Duration taskTimeout) throws IOException {
        this.name = "Pool-" + POOL_NUMBERS.incrementAndGet();
        this.warm = context.startMethod() == StartMethod.WARM;
        this.processes = processes;
        this.taskTimeout = taskTimeout;
        this.end = new PoolEnd(name);
        this.wakeup = new WakeupPipe();
        this.workers = new WorkerSet(name, context, maxTasksPerChild, initializer, lock, wakeup,
                this::breakPool);
        this.tasks = new TaskQueue(workers);
        this.events = new WorkerEvents(name, workers, tasks, taskTimeout == null ? 0 : saturatedNanos(taskTimeout),
                this::breakPool);
        this.lifecycle = new Lifecycle(processes, workers, tasks);
        this.supervisor = new Supervisor(this);
    }

    /**
     * A running pool with {@code processes} workers, each started. Throws
     * {@link ProcessStartException} (after stopping whatever did start) if a worker cannot start.
     */
    public static PoolCore start(int processes, ProcessContext context, int maxTasksPerChild,
                                 PoolInitializer initializer, Duration taskTimeout) {
        PoolCore core;
        try {
            core = new PoolCore(processes, context, maxTasksPerChild, initializer, taskTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the pool's sockets", e);
        }
        List<CompletableFuture<Void>> launches = new ArrayList<>();
        // The calling thread runs the last launch itself rather than wait idle for the launcher
        // threads (a virtual thread too: a start parks it while its child boots).
        CompletableFuture<Void> lastLaunched = new CompletableFuture<>();
        Runnable lastLaunch;
        core.lock.lock();
        try {
            for (int i = 0; i < processes - 1; i++) {
                launches.add(core.workers.launch());
            }
            lastLaunch = core.workers.reserveLaunch(lastLaunched);
            launches.add(lastLaunched);
        } finally {
            core.lock.unlock();
        }
        // Only now: the supervisor keeps the pool at its size, and would otherwise start these too.
        core.supervisor.start();
        lastLaunch.run();
        try {
            CompletableFuture.allOf(launches.toArray(new CompletableFuture<?>[0])).join();
        } catch (RuntimeException failed) {
            core.terminate();
            core.end.awaitUninterruptibly();
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            if (cause instanceof ProcessStartException) {
                throw new ProcessStartException(cause.getMessage(), cause);
            }
            throw new ProcessStartException("cannot start the pool's workers: " + cause, cause);
        }
        return core;
    }

    /** A worker cannot be started or initialized: the parts that learn it tell the lifecycle. Under lock. */
    private void breakPool(Throwable cause) {
        lifecycle.breakPool(cause);
    }

    ExecutorService callbackThread() {
        return end.callbacks();
    }

    /** The longest a task may run before its worker is killed, or null for no limit. */
    public Duration taskTimeout() {
        return taskTimeout;
    }

    // ---------------------------------------------------------------- submitting

    /** The function's table entry, one use more (released when its job is settled). */
    FunctionEntry acquireFunction(Object function, CallKind kind, String what) {
        byte[] bytes = FunctionCodec.encode(function, what);
        if (warm) {
            // The workers of the pools to come (replacements, the next pool) meet its classes loaded.
            WarmSpares.noteClassesInUse(LambdaCodec.classNamesOf(function));
        }
        lock.lock();
        try {
            lifecycle.checkRunning();
            return tasks.acquireFunction(bytes, kind);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a function whose job never started (its submission failed). */
    void abandonFunction(FunctionEntry function) {
        lock.lock();
        try {
            tasks.abandonFunction(function);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a job's tasks and hands out what can be handed out. {@code more} is for an imap that
     * keeps adding tasks after it was accepted: allowed after close, refused after terminate.
     * Returns false (queuing nothing) if the pool does not take them.
     */
    boolean submit(Job job, List<Task> submitted, boolean more) {
        lock.lock();
        try {
            if (!lifecycle.accepts(more)) {
                return false;
            }
            tasks.enqueue(job, submitted);
            lifecycle.failQueuedIfBroken(); // an imap's later tasks, on a pool broken since it began
            dispatch();
        } finally {
            lock.unlock();
        }
        flushOutboxes();
        return true;
    }

    /** An imap starts reading its input (the pool stays open for it until {@link #feedingDone}). */
    void feedingStarted(Job job) {
        lock.lock();
        try {
            lifecycle.checkRunning();
            tasks.feedingStarted(job);
        } finally {
            lock.unlock();
        }
    }

    /** The imap's input is read (or failed, or the pool refused more). */
    void feedingDone(Job job) {
        lock.lock();
        try {
            if (tasks.feedingDone(job)) {
                wakeup.wake();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancels a job (from {@code AsyncResult.cancel}); false if its result was already resolved. */
    boolean cancel(Job job, boolean mayInterruptIfRunning) {
        lock.lock();
        try {
            return tasks.cancelJob(job, mayInterruptIfRunning);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- for the supervisor (under lock)

    /** Hands out queued tasks while workers can take them; messages go to the outboxes. */
    void dispatch() {
        boolean startedOne = tasks.dispatch(System.nanoTime());
        if (startedOne && events.hasTimeouts() && Thread.currentThread() != supervisor) {
            wakeup.wake(); // its poll must end at the new task's deadline
        }
    }

    /** Writes every worker's outbox; called without the lock. */
    void flushOutboxes() {
        List<WorkerHandle> snapshot;
        lock.lock();
        try {
            snapshot = workers.snapshot();
        } finally {
            lock.unlock();
        }
        for (WorkerHandle worker : snapshot) {
            worker.flushOutbox();
        }
    }

    /** Called by the supervisor as it ends: releases what the pool holds and lets join() return. */
    void finish() {
        end.reached();
    }

    /** Something went wrong in the supervisor itself: fail everything rather than leave anyone waiting. */
    void failEverything(Throwable bug) {
        lock.lock();
        try {
            lifecycle.breakQuietly(bug);
            lifecycle.terminate(System.nanoTime());
            workers.killAllNow();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Python's close(): no new tasks; the workers exit once every task is done. */
    public void shutdown() {
        lock.lock();
        try {
            lifecycle.close();
            wakeup.wake();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Python's terminate(): every task not finished is cancelled, the workers are stopped (SIGTERM,
     * then SIGKILL if need be).
     */
    public void terminate() {
        terminateCollecting();
    }

    /**
     * Like {@link #terminate()}; returns the applies that had not started, as submitted (their
     * Runnable or Callable: a map's chunks have no such form and are left out).
     */
    public List<Object> terminateReturningUnstarted() {
        List<Object> sources = new ArrayList<>();
        for (Task task : terminateCollecting()) {
            Object source = task.job.submittedTask();
            if (source != null) {
                sources.add(source);
            }
        }
        return sources;
    }

    private List<Task> terminateCollecting() {
        lock.lock();
        try {
            List<Task> notStarted = lifecycle.terminate(System.nanoTime());
            wakeup.wake();
            return notStarted;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the pool takes new tasks (neither closed nor terminated). */
    public boolean isRunning() {
        lock.lock();
        try {
            return lifecycle.isRunning();
        } finally {
            lock.unlock();
        }
    }

    /** Whether every worker has exited and the callbacks have run: join() returns at once. */
    public boolean isTerminated() {
        return end.isReached();
    }

    /** Python's join(): after close or terminate, waits until every worker has exited. */
    public void join() throws InterruptedException {
        checkJoinable();
        end.await();
    }

    /** Waits at most {@code nanos} for the pool's end; returns whether it ended. */
    public boolean awaitTermination(long nanos) throws InterruptedException {
        return end.await(nanos);
    }

    /**
     * terminate() then join(), ignoring interrupts until done (for AutoCloseable.close). From a
     * callback, only terminates: the pool's end waits for the callback to return.
     */
    public void terminateAndJoin() {
        terminate();
        if (!end.isCallbackThread()) {
            end.awaitUninterruptibly();
        }
    }

    private void checkJoinable() {
        lock.lock();
        try {
            lifecycle.checkJoinable();
        } finally {
            lock.unlock();
        }
    }

    /** Python's repr: {@code state=RUN pool_size=4}. */
    public String describe() {
        lock.lock();
        try {
            return lifecycle.describe();
        } finally {
            lock.unlock();
        }
    }

    /** The pids of the live workers (for diagnostics and tests). */
    public List<Long> workerPids() {
        lock.lock();
        try {
            return workers.pids();
        } finally {
            lock.unlock();
        }
    }

    private static long saturatedNanos(Duration duration) {
        // At least 1 (0 means no limit here) and at most a quarter of the range, so that the
        // deadline arithmetic below may add it to a time and multiply it by a small count.
        return Math.max(1, Math.min(Durations.toNanos(duration), Long.MAX_VALUE / 4));
    }
}
