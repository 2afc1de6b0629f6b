package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.process.ChildHandle;
import io.multiprocessing4j.internal.process.ExitCodes;
import io.multiprocessing4j.internal.transfer.BigEndian;
import io.multiprocessing4j.errors.TaskTimeoutException;
import io.multiprocessing4j.errors.WorkerDiedException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What happens to the workers, as the supervisor learns it: what they say (the protocol: READY,
 * answers, a failed initializer), how they end, and which of them overran their task's timeout.
 * Under the pool's lock, in the supervisor.
 *
 * <p><b>Dead workers.</b> A worker answers its tasks in order and each before starting the next,
 * so when it dies, the oldest unanswered task is the only one it may have started: that task
 * fails with a {@link WorkerDiedException} (pid, exit code) (unless its message never reached the
 * worker), the others go back to the front of the queue, and a replacement is started. A task
 * never runs twice, and nothing waits for a dead worker.
 */
final class WorkerEvents {
    private static final System.Logger LOG = System.getLogger(WorkerEvents.class.getName());
    /** Workers dying before they are ready, in a row, that make the pool give up. */
    private static final int DEATHS_BEFORE_READY_LIMIT = 3;

    private final String poolName;
    private final WorkerSet workers;
    private final TaskQueue tasks;
    /** 0 for none. */
    private final long taskTimeoutNanos;
    /** Told why the pool cannot go on (an initializer failed, workers keep dying at boot). */
    private final Consumer<Throwable> breakPool;
    private int deathsBeforeReady;

    WorkerEvents(String poolName, WorkerSet workers, TaskQueue tasks, long taskTimeoutNanos,
                 Consumer<Throwable> breakPool) {
        this.poolName = poolName;
        this.workers = workers;
        this.tasks = tasks;
        this.taskTimeoutNanos = taskTimeoutNanos;
        this.breakPool = breakPool;
    }

    /** Whether tasks have a timeout (a task starting then brings a deadline the supervisor must wake for). */
    boolean hasTimeouts() {
        return taskTimeoutNanos > 0;
    }

    /** A message from {@code worker}. */
    void message(WorkerHandle worker, byte[] message, long now) {
        if (message.length == 0) {
            protocolError(worker, "an empty message");
            return;
        }
        byte tag = message[0];
        if (tag == Wire.OK || tag == Wire.ERROR) {
            answer(worker, message, tag == Wire.OK, now);
        } else if (tag == Wire.READY) {
            worker.markReady();
            deathsBeforeReady = 0;
        } else if (tag == Wire.INIT_FAILED) {
            Throwable failure = RemoteFailures.decode(message, 1, message.length - 1, worker.description);
            worker.markStopping(); // it exits by itself
            breakPool.accept(new IllegalStateException("the pool is broken: the initializer failed in "
                    + worker.description + ": " + failure, failure));
        } else {
            protocolError(worker, "a message of unknown type " + tag);
        }
    }

    private void answer(WorkerHandle worker, byte[] message, boolean ok, long now) {
        if (message.length < 9) {
            protocolError(worker, "a truncated answer");
            return;
        }
        Task task = worker.answered(now);
        if (task == null) {
            protocolError(worker, "an answer to no task");
            return;
        }
        long nanos = (long) BigEndian.LONGS.get(message, 1);
        task.job.function.observe(nanos, task.items);
        if (!task.isDone()) {
            tasks.complete(task, ok ? Outcome.success(message, 9, message.length - 9, task.items, worker.description)
                    : Outcome.remoteFailure(message, 9, message.length - 9, worker.description));
        }
    }

    private void protocolError(WorkerHandle worker, String what) {
        LOG.log(Level.WARNING, "{0}: {1} sent {2}; killing it", poolName, worker.description, what);
        worker.kill();
    }

    /** {@code worker}'s process has ended and everything it sent has been read. */
    void exited(WorkerHandle worker) {
        int exitCode = worker.process.exitCode().orElse(ChildHandle.EXIT_CODE_UNKNOWN);
        boolean expected = worker.endIsExpected();
        workers.remove(worker);
        boolean oldest = true;
        List<Task> notStarted = new ArrayList<>();
        for (Task task : worker.exited()) {
            // The oldest task may have been running, unless its message never reached the worker.
            boolean mayHaveStarted = oldest && task.wasDelivered();
            oldest = false;
            if (task.isDone()) {
                continue;
            }
            if (mayHaveStarted) {
                tasks.complete(task, Outcome.failure(new WorkerDiedException(worker.description
                        + " died while running the task (exit code " + ExitCodes.describe(exitCode) + ")",
                        worker.pid, exitCode)));
            } else {
                notStarted.add(task);
            }
        }
        tasks.requeueFirst(notStarted);
        if (!worker.sawReady() && !expected && !workers.isTerminating()
                && ++deathsBeforeReady >= DEATHS_BEFORE_READY_LIMIT) {
            breakPool.accept(new WorkerDiedException("the pool is broken: " + DEATHS_BEFORE_READY_LIMIT
                    + " workers in a row died before they were ready; the last, " + worker.description
                    + ", with exit code " + ExitCodes.describe(exitCode), worker.pid, exitCode));
        }
        worker.release();
    }

    /**
     * Kills the workers whose task overran its timeout (the task fails with a
     * {@link TaskTimeoutException}) or whose connection broke, and follows up terminate's SIGTERM
     * with SIGKILL. Returns the next deadline (nanoTime), or Long.MAX_VALUE.
     */
    long checkDeadlines(long now) {
        long next = Long.MAX_VALUE;
        for (WorkerHandle worker : workers.snapshot()) {
            if (worker.state() == WorkerHandle.State.KILLED) {
                next = Math.min(next, worker.followUpKill(now));
                continue;
            }
            if (worker.sendFailure() != null) {
                worker.kill();
                continue;
            }
            if (taskTimeoutNanos == 0 || worker.isIdle()) {
                continue;
            }
            Task head = worker.head();
            long allowed = head.items > Long.MAX_VALUE / taskTimeoutNanos ? Long.MAX_VALUE / 4
                    : taskTimeoutNanos * head.items;
            long deadline = worker.headStarted() + allowed;
            if (now - deadline >= 0) {
                if (!head.isDone()) {
                    tasks.complete(head, Outcome.failure(new TaskTimeoutException("the task ran longer than "
                            + Duration.ofNanos(allowed) + " in " + worker.description
                            + ", which was killed", Duration.ofNanos(allowed), worker.pid)));
                }
                worker.kill();
            } else {
                next = Math.min(next, deadline);
            }
        }
        return next;
    }
}
