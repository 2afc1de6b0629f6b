package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.ProcessStartException;
import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import io.multiprocessing4j.internal.process.ChildHandle;
import io.multiprocessing4j.internal.process.ExitCodes;
import io.multiprocessing4j.internal.time.Durations;
import io.multiprocessing4j.internal.transfer.BigEndian;
import io.multiprocessing4j.pool.PoolInitializer;
import io.multiprocessing4j.pool.TaskTimeoutException;
import io.multiprocessing4j.pool.WorkerDiedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool's state and its rules: the queue of tasks, the workers and what each holds, who gets
 * which task, what happens when a worker answers, dies or overruns, and the lifecycle (run,
 * close, terminate). Everything here is guarded by {@link #lock}; the {@link Supervisor} thread
 * and the submitting threads both act through it.
 *
 * <p><b>Handing out tasks.</b> Tasks leave the queue in order, each to the worker
 * {@link TaskPlacement} chooses: an idle one, or one where it may wait behind the task being run.
 *
 * <p><b>Dead workers.</b> A worker answers its tasks in order and each before starting the next,
 * so when it dies, the oldest unanswered task is the only one it may have started: that task
 * fails with a {@link WorkerDiedException} (pid, exit code) (unless its message never reached the
 * worker), the others go back to the front of the queue, and a replacement is started. A task
 * never runs twice, and nothing waits for a dead worker.
 */
public final class PoolCore {
    /** After terminate's SIGTERM, a worker still alive this much later gets SIGKILL. */
    private static final long KILL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Workers dying before they are ready, in a row, that make the pool give up. */
    private static final int DEATHS_BEFORE_READY_LIMIT = 3;

    private static final AtomicInteger POOL_NUMBERS = new AtomicInteger();
    private static final AtomicInteger WORKER_NUMBERS = new AtomicInteger();

    enum RunState { RUN, CLOSE, TERMINATE }

    final String name;
    public final int processes;
    private final ProcessContext context;
    private final int maxTasksPerChild;
    private final PoolInitializer initializer;
    private final long taskTimeoutNanos;
    private final Duration taskTimeout;

    final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private RunState state = RunState.RUN;
    private Throwable brokenCause;
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    final List<WorkerHandle> workers = new ArrayList<>();
    private int launching;
    private int feeders;
    private int deathsBeforeReady;
    private boolean finished;
    private final FunctionTable functions = new FunctionTable();

    private final ExecutorService callbacks;
    /** The callback thread, once started: it must not wait for the pool's end, which waits for it. */
    private volatile Thread callbackThreadRef;
    private final WorkerAcceptor acceptor;
    final WakeupPipe wakeup;
    private final Supervisor supervisor;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private PoolCore(int processes, ProcessContext context, int maxTasksPerChild, PoolInitializer initializer,
                     Duration taskTimeout) throws IOException {
        this.name = "Pool-" + POOL_NUMBERS.incrementAndGet();
        this.processes = processes;
        this.context = context;
        this.maxTasksPerChild = maxTasksPerChild;
        this.initializer = initializer;
        this.taskTimeout = taskTimeout;
        this.taskTimeoutNanos = taskTimeout == null ? 0 : saturatedNanos(taskTimeout);
        ThreadPoolExecutor callbackThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, name + "-callbacks");
                    thread.setDaemon(true);
                    callbackThreadRef = thread;
                    return thread;
                });
        this.callbacks = callbackThread;
        this.wakeup = new WakeupPipe();
        this.acceptor = new WorkerAcceptor(name);
        this.supervisor = new Supervisor(this);
    }

    /**
     * A running pool with {@code processes} workers, each started and connected. Throws
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
        core.lock.lock();
        try {
            for (int i = 0; i < processes; i++) {
                launches.add(core.launchWorker());
            }
        } finally {
            core.lock.unlock();
        }
        // Only now: the supervisor keeps the pool at its size, and would otherwise start these too.
        core.supervisor.start();
        try {
            CompletableFuture.allOf(launches.toArray(new CompletableFuture<?>[0])).join();
        } catch (RuntimeException failed) {
            core.terminate();
            core.awaitTerminationUninterruptibly();
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            if (cause instanceof ProcessStartException) {
                throw new ProcessStartException(cause.getMessage(), cause);
            }
            throw new ProcessStartException("cannot start the pool's workers: " + cause, cause);
        }
        return core;
    }

    ExecutorService callbackThread() {
        return callbacks;
    }

    public Duration taskTimeout() {
        return taskTimeout;
    }

    // ---------------------------------------------------------------- submitting

    /** The function's table entry, one use more (released when its job is done). */
    FunctionEntry acquireFunction(Object function, CallKind kind, String what) {
        byte[] bytes = FunctionCodec.encode(function, what);
        lock.lock();
        try {
            checkRunning();
            return functions.acquire(bytes, kind);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a function whose job never started (its submission failed). */
    void abandonFunction(FunctionEntry function) {
        lock.lock();
        try {
            forgetEvicted(functions.release(function));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a job's tasks and hands out what can be handed out. {@code more} is for an imap that
     * keeps adding tasks after it was accepted: allowed after close, refused after terminate.
     * Returns false (queuing nothing) if the pool does not take them.
     */
    boolean submit(Job job, List<Task> tasks, boolean more) {
        lock.lock();
        try {
            if (more ? state == RunState.TERMINATE : state != RunState.RUN) {
                if (!more) {
                    checkRunning();
                }
                return false;
            }
            job.tasks.addAll(tasks);
            job.unfinishedTasks += tasks.size();
            queue.addAll(tasks);
            releaseIfDone(job); // a job without tasks (an empty map) is done at once
            failQueuedIfBroken(); // an imap's later tasks, on a pool broken since it began
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
            checkRunning();
            job.feeding = true;
            feeders++;
        } finally {
            lock.unlock();
        }
    }

    void feedingDone(Job job) {
        lock.lock();
        try {
            if (job.feeding) {
                job.feeding = false;
                feeders--;
                releaseIfDone(job);
                wakeup.wake();
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkRunning() {
        if (state != RunState.RUN) {
            IllegalStateException notRunning = new IllegalStateException("Pool not running");
            if (brokenCause != null) {
                notRunning.initCause(brokenCause);
            }
            throw notRunning;
        }
    }

    // ---------------------------------------------------------------- handing out tasks

    /** Hands out queued tasks while workers can take them; messages go to the outboxes. Under lock. */
    void dispatch() {
        long now = System.nanoTime();
        boolean newDeadline = false;
        while (!queue.isEmpty()) {
            Task task = queue.peekFirst();
            if (task.state == Task.State.DONE) {
                queue.pollFirst(); // cancelled while queued
                continue;
            }
            WorkerHandle worker = TaskPlacement.choose(workers, task, now);
            if (worker == null) {
                break;
            }
            queue.pollFirst();
            boolean idle = worker.isIdle();
            task.state = Task.State.SENT;
            task.worker = worker;
            task.estimate = task.job.function.estimate(task.items);
            worker.inFlight.add(task);
            worker.quotaLeft--;
            worker.staged.add(task);
            worker.stagedBytes += task.record.length;
            if (idle) {
                worker.headStarted = now;
                newDeadline |= taskTimeoutNanos > 0;
            } else {
                worker.queuedEstimate += task.estimate;
            }
        }
        for (WorkerHandle worker : workers) {
            worker.packStaged(now, worker.pendingForgets);
            worker.pendingForgets.clear();
        }
        if (newDeadline && Thread.currentThread() != supervisor) {
            wakeup.wake(); // its poll must end at the new task's deadline
        }
    }

    /** Writes every worker's outbox; called without the lock. */
    void flushOutboxes() {
        List<WorkerHandle> snapshot;
        lock.lock();
        try {
            snapshot = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        for (WorkerHandle worker : snapshot) {
            worker.flushOutbox();
        }
    }

    // ---------------------------------------------------------------- what workers say

    /** A message from {@code worker}. Under lock, in the supervisor. */
    void handleMessage(WorkerHandle worker, byte[] message, long now) {
        if (message.length == 0) {
            protocolError(worker, "an empty message");
            return;
        }
        byte tag = message[0];
        if (tag == Wire.OK || tag == Wire.ERROR) {
            handleAnswer(worker, message, tag == Wire.OK, now);
        } else if (tag == Wire.READY) {
            worker.sawReady = true;
            deathsBeforeReady = 0;
            if (worker.state == WorkerHandle.State.STARTING) {
                worker.state = WorkerHandle.State.READY;
            }
        } else if (tag == Wire.INIT_FAILED) {
            Throwable failure = RemoteFailures.decode(message, 1, message.length - 1, worker.description);
            worker.state = WorkerHandle.State.STOPPING; // it exits by itself
            breakPool(new IllegalStateException("the pool is broken: the initializer failed in "
                    + worker.description + ": " + failure, failure));
        } else {
            protocolError(worker, "a message of unknown type " + tag);
        }
    }

    private void handleAnswer(WorkerHandle worker, byte[] message, boolean ok, long now) {
        if (message.length < 9) {
            protocolError(worker, "a truncated answer");
            return;
        }
        Task task = worker.inFlight.pollFirst();
        if (task == null) {
            protocolError(worker, "an answer to no task");
            return;
        }
        long nanos = (long) BigEndian.LONGS.get(message, 1);
        task.job.function.observe(nanos, task.items);
        worker.advanceHead(now);
        if (worker.quotaLeft <= 0 && worker.isIdle() && worker.state == WorkerHandle.State.READY) {
            worker.state = WorkerHandle.State.STOPPING; // its quota is spent: it exits by itself
        }
        if (task.state != Task.State.DONE) {
            complete(task, ok ? Outcome.success(message, 9, message.length - 9, task.items, worker.description)
                    : Outcome.remoteFailure(message, 9, message.length - 9, worker.description));
        }
    }

    private void protocolError(WorkerHandle worker, String what) {
        System.err.println(name + ": " + worker.description + " sent " + what + "; killing it");
        kill(worker, null);
    }

    /** {@code worker}'s process has ended and everything it sent has been read. Under lock. */
    void handleExit(WorkerHandle worker) {
        int exitCode = worker.process.exitCode().orElse(ChildHandle.EXIT_CODE_UNKNOWN);
        boolean expected = worker.state == WorkerHandle.State.KILLED || worker.state == WorkerHandle.State.STOPPING;
        workers.remove(worker);
        worker.state = WorkerHandle.State.EXITED;
        boolean oldest = true;
        List<Task> notStarted = new ArrayList<>();
        for (Task task : worker.inFlight) {
            // The oldest task may have been running, unless its message never reached the worker.
            boolean mayHaveStarted = oldest && task.message != null && task.message.delivered;
            oldest = false;
            if (mayHaveStarted) {
                if (task.state != Task.State.DONE) {
                    complete(task, Outcome.failure(new WorkerDiedException(worker.description
                            + " died while running the task (exit code " + ExitCodes.describe(exitCode) + ")",
                            worker.pid, exitCode)));
                }
            } else if (task.state != Task.State.DONE) {
                task.state = Task.State.QUEUED;
                task.worker = null;
                task.message = null;
                notStarted.add(task);
            }
        }
        worker.inFlight.clear();
        for (int i = notStarted.size() - 1; i >= 0; i--) {
            queue.addFirst(notStarted.get(i));
        }
        if (!worker.sawReady && !expected && state != RunState.TERMINATE
                && ++deathsBeforeReady >= DEATHS_BEFORE_READY_LIMIT) {
            breakPool(new WorkerDiedException("the pool is broken: " + DEATHS_BEFORE_READY_LIMIT
                    + " workers in a row died before they were ready; the last, " + worker.description
                    + ", with exit code " + ExitCodes.describe(exitCode), worker.pid, exitCode));
        }
        worker.connection.close();
        try {
            worker.process.close();
        } catch (IllegalStateException stillRunning) {
            // impossible once its sentinel fired; the registry reaps it in any case
        }
    }

    /** A task's outcome is known: hand it to its job. Under lock. */
    private void complete(Task task, Outcome outcome) {
        task.state = Task.State.DONE;
        task.worker = null;
        task.record = null;
        Job job = task.job;
        job.unfinishedTasks--;
        job.taskDone(task, outcome);
        releaseIfDone(job);
    }

    private void releaseIfDone(Job job) {
        if (!job.feeding && job.unfinishedTasks == 0 && !job.functionReleased) {
            job.functionReleased = true;
            forgetEvicted(functions.release(job.function));
        }
    }

    private void forgetEvicted(List<FunctionEntry> evicted) {
        for (FunctionEntry entry : evicted) {
            for (WorkerHandle worker : workers) {
                if (worker.knownFunctions.contains(entry.id)) {
                    worker.pendingForgets.add(entry.id);
                }
            }
        }
    }

    // ---------------------------------------------------------------- timeouts, kills, cancellation

    /** Kills workers whose task overran; returns the next deadline (nanoTime), or Long.MAX_VALUE. Under lock. */
    long checkDeadlines(long now) {
        long next = Long.MAX_VALUE;
        for (WorkerHandle worker : new ArrayList<>(workers)) {
            if (worker.state == WorkerHandle.State.KILLED) {
                if (worker.killDeadline != 0) {
                    if (now - worker.killDeadline >= 0) {
                        signal(worker, true);
                        worker.killDeadline = 0;
                    } else {
                        next = Math.min(next, worker.killDeadline);
                    }
                }
                continue;
            }
            if (worker.sendFailure != null) {
                kill(worker, null);
                continue;
            }
            if (taskTimeoutNanos == 0 || worker.isIdle()) {
                continue;
            }
            Task head = worker.inFlight.peekFirst();
            long allowed = head.items > Long.MAX_VALUE / taskTimeoutNanos ? Long.MAX_VALUE / 4
                    : taskTimeoutNanos * head.items;
            long deadline = worker.headStarted + allowed;
            if (now - deadline >= 0) {
                if (head.state != Task.State.DONE) {
                    complete(head, Outcome.failure(new TaskTimeoutException("the task ran longer than "
                            + Duration.ofNanos(allowed) + " in " + worker.description
                            + ", which was killed", Duration.ofNanos(allowed), worker.pid)));
                }
                kill(worker, head);
            } else {
                next = Math.min(next, deadline);
            }
        }
        return next;
    }

    /** Kills a worker (SIGKILL); its exit is handled when it comes. {@code cause}: the task failed for it. */
    private void kill(WorkerHandle worker, Task cause) {
        if (worker.state == WorkerHandle.State.KILLED || worker.state == WorkerHandle.State.EXITED) {
            return;
        }
        worker.state = WorkerHandle.State.KILLED;
        worker.killedFor = cause;
        signal(worker, true);
    }

    private static void signal(WorkerHandle worker, boolean kill) {
        try {
            if (kill) {
                worker.process.kill();
            } else {
                worker.process.terminate();
            }
        } catch (RuntimeException alreadyGone) {
            // it has ended; its exit is handled as any other
        }
    }

    /** Cancels a job (from {@code AsyncResult.cancel}). */
    boolean cancel(Job job, boolean mayInterruptIfRunning) {
        lock.lock();
        try {
            if (!job.resolveCancelled()) {
                return false;
            }
            job.cancelled = true;
            for (Task task : job.tasks) {
                if (task.state == Task.State.DONE) {
                    continue;
                }
                WorkerHandle worker = task.worker;
                boolean running = worker != null && worker.inFlight.peekFirst() == task;
                markDoneSilently(task);
                if (running && mayInterruptIfRunning) {
                    kill(worker, task);
                }
            }
            releaseIfDone(job);
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** A task that will not be answered to its job (cancelled): its answer, if one comes, is dropped. */
    private static void markDoneSilently(Task task) {
        task.state = Task.State.DONE;
        task.job.unfinishedTasks--;
    }

    /** Fails the queued tasks and closes the pool to new work: a worker cannot be started or initialized. */
    private void breakPool(Throwable cause) {
        if (brokenCause != null) {
            return;
        }
        brokenCause = cause;
        if (state == RunState.RUN) {
            state = RunState.CLOSE;
        }
        failQueuedIfBroken();
    }

    /**
     * A broken pool starts no workers and hands out no more tasks: whatever is queued (tasks taken
     * back from a worker that died since, an imap's later chunks) fails with the reason. Under lock.
     */
    void failQueuedIfBroken() {
        if (brokenCause == null || queue.isEmpty()) {
            return;
        }
        Outcome failure = Outcome.failure(brokenCause);
        List<Task> queued = new ArrayList<>(queue);
        queue.clear();
        for (Task task : queued) {
            if (task.state != Task.State.DONE) {
                complete(task, failure);
            }
        }
    }

    // ---------------------------------------------------------------- starting workers

    /** Starts a worker in a thread of its own; the future completes once it has connected (or failed). Under lock. */
    private CompletableFuture<Void> launchWorker() {
        launching++;
        CompletableFuture<Void> launched = new CompletableFuture<>();
        String workerName = "PoolWorker-" + WORKER_NUMBERS.incrementAndGet();
        Thread thread = new Thread(() -> {
            try {
                WorkerHandle worker = WorkerLauncher.launch(workerName, context, acceptor, maxTasksPerChild,
                        initializer);
                workerConnected(worker);
                launched.complete(null);
            } catch (Throwable failure) {
                launchFailed(failure);
                launched.completeExceptionally(failure);
            }
        }, name + "-launcher");
        thread.setDaemon(true);
        thread.start();
        return launched;
    }

    private void workerConnected(WorkerHandle worker) {
        lock.lock();
        try {
            launching--;
            workers.add(worker);
            if (state == RunState.TERMINATE) {
                kill(worker, null);
            }
            wakeup.wake(); // it must watch the new worker's connection and sentinel
        } finally {
            lock.unlock();
        }
    }

    private void launchFailed(Throwable failure) {
        lock.lock();
        try {
            launching--;
            if (state != RunState.TERMINATE) {
                breakPool(failure instanceof ProcessStartException ? failure
                        : new ProcessStartException("cannot start a pool worker: " + failure, failure));
            }
            wakeup.wake();
        } finally {
            lock.unlock();
        }
    }

    /** Starts workers to keep the pool at its size while it has (or may get) work. Under lock. */
    void maintainSize() {
        if (state == RunState.TERMINATE || brokenCause != null) {
            return;
        }
        if (state == RunState.CLOSE && !hasWork()) {
            return;
        }
        int serving = 0;
        for (WorkerHandle worker : workers) {
            boolean spent = worker.quotaLeft <= 0 && worker.isIdle();
            if ((worker.state == WorkerHandle.State.STARTING || worker.state == WorkerHandle.State.READY) && !spent) {
                serving++;
            }
        }
        for (int i = serving + launching; i < processes; i++) {
            launchWorker();
        }
    }

    private boolean hasWork() {
        if (feeders > 0) {
            return true;
        }
        for (Task task : queue) {
            if (task.state != Task.State.DONE) {
                return true;
            }
        }
        for (WorkerHandle worker : workers) {
            if (!worker.isIdle()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Python's close(): no new tasks; the workers exit once every task is done. */
    public void shutdown() {
        lock.lock();
        try {
            if (state == RunState.RUN) {
                state = RunState.CLOSE;
            }
            wakeup.wake();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Python's terminate(): every task not finished is cancelled, the workers are stopped (SIGTERM,
     * then SIGKILL if need be). Returns the tasks that had not started.
     */
    public void terminate() {
        terminateCollecting();
    }

    /** Like {@link #terminate()}; returns what had not started, as submitted (see Submissions#unstartedSources). */
    public List<Object> terminateReturningUnstarted() {
        return Submissions.unstartedSources(terminateCollecting());
    }

    private List<Task> terminateCollecting() {
        List<Task> notStarted = new ArrayList<>();
        lock.lock();
        try {
            if (state == RunState.TERMINATE) {
                return notStarted;
            }
            state = RunState.TERMINATE;
            for (Task task : queue) {
                if (task.state != Task.State.DONE) {
                    notStarted.add(task);
                    cancelTask(task);
                }
            }
            queue.clear();
            long now = System.nanoTime();
            for (WorkerHandle worker : workers) {
                boolean first = true;
                for (Task task : worker.inFlight) {
                    if (task.state != Task.State.DONE) {
                        if (!first) {
                            notStarted.add(task);
                        }
                        cancelTask(task);
                    }
                    first = false;
                }
                if (worker.state != WorkerHandle.State.KILLED && worker.state != WorkerHandle.State.EXITED) {
                    worker.state = WorkerHandle.State.KILLED;
                    worker.killDeadline = now + KILL_GRACE_NANOS;
                    signal(worker, false); // SIGTERM, as Python's terminate()
                }
            }
            wakeup.wake();
        } finally {
            lock.unlock();
        }
        return notStarted;
    }

    private void cancelTask(Task task) {
        task.state = Task.State.DONE;
        task.worker = null;
        task.record = null;
        Job job = task.job;
        job.unfinishedTasks--;
        job.taskCancelled(task);
        releaseIfDone(job);
    }

    /**
     * Moves the lifecycle on: once closed and drained, tells the workers to exit; once every worker
     * is gone, the pool is finished. Under lock, in the supervisor; returns whether it is finished.
     */
    boolean progressLifecycle() {
        if (state == RunState.RUN) {
            return false;
        }
        if (state == RunState.CLOSE && !hasWork()) {
            for (WorkerHandle worker : workers) {
                if (worker.state == WorkerHandle.State.STARTING || worker.state == WorkerHandle.State.READY
                        || (worker.state == WorkerHandle.State.STOPPING && !worker.endOfInput)) {
                    worker.state = WorkerHandle.State.STOPPING;
                    worker.endOfInput = true;
                    worker.connection.close(); // the worker reads the end of its input and exits
                }
            }
        }
        if (workers.isEmpty() && launching == 0 && (state == RunState.TERMINATE || !hasWork())) {
            finished = true;
        }
        return finished;
    }

    /** Called by the supervisor as it ends: releases what the pool holds and lets join() return. */
    void finish() {
        acceptor.close();
        callbacks.shutdown();
        try {
            // Python's join() waits for the result handler, which runs the callbacks: so does ours.
            callbacks.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminated.countDown();
    }

    /** Something went wrong in the supervisor itself: fail everything rather than leave anyone waiting. */
    void failEverything(Throwable bug) {
        lock.lock();
        try {
            brokenCause = brokenCause != null ? brokenCause : bug;
            terminateCollecting();
            for (WorkerHandle worker : workers) {
                signal(worker, true);
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isRunning() {
        lock.lock();
        try {
            return state == RunState.RUN;
        } finally {
            lock.unlock();
        }
    }

    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /** Python's join(): after close or terminate, waits until every worker has exited. */
    public void join() throws InterruptedException {
        checkJoinable();
        checkNotCallbackThread();
        terminated.await();
    }

    /** A callback waiting for the pool's end would wait for itself (Python: "cannot join current thread"). */
    private void checkNotCallbackThread() {
        if (Thread.currentThread() == callbackThreadRef) {
            throw new IllegalStateException("cannot join a pool from one of its callbacks: the pool's end waits"
                    + " for its callbacks");
        }
    }

    public boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    void awaitTerminationUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * terminate() then join(), ignoring interrupts until done (for AutoCloseable.close). From a
     * callback, only terminates: the pool's end waits for the callback to return.
     */
    public void terminateAndJoin() {
        terminate();
        if (Thread.currentThread() != callbackThreadRef) {
            awaitTerminationUninterruptibly();
        }
    }

    private void checkJoinable() {
        lock.lock();
        try {
            if (state == RunState.RUN) {
                throw new IllegalStateException("Pool is still running");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Python's repr: {@code state=RUN pool_size=4}. */
    public String describe() {
        lock.lock();
        try {
            return "state=" + (finished ? "TERMINATED" : state.name()) + ", pool_size=" + processes;
        } finally {
            lock.unlock();
        }
    }

    /** The pids of the live workers (for diagnostics and tests). */
    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (WorkerHandle worker : workers) {
                if (worker.state != WorkerHandle.State.EXITED) {
                    pids.add(worker.pid);
                }
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    private static long saturatedNanos(Duration duration) {
        // At least 1 (0 means no limit here) and at most a quarter of the range, so that the
        // deadline arithmetic below may add it to a time and multiply it by a small count.
        return Math.max(1, Math.min(Durations.toNanos(duration), Long.MAX_VALUE / 4));
    }

    /** For the supervisor: the workers it must watch, and the pool's notion of "nothing left". */
    List<WorkerHandle> watchedWorkers() {
        return new ArrayList<>(workers);
    }

    boolean isFinished() {
        return finished;
    }
}
