package io.multiprocessing4j.internal.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * A pool's run state and what moves it on: running, closed (no new tasks; the workers exit once
 * the work is done), terminated (everything unfinished cancelled, the workers signalled), broken
 * (a worker cannot be started or initialized: closed, with the queued work failed for that
 * reason), and finished (every worker gone). Guarded by the pool's lock.
 */
final class Lifecycle {
    enum RunState { RUN, CLOSE, TERMINATE }

    private final int processes;
    private final WorkerSet workers;
    private final TaskQueue tasks;
    private RunState state = RunState.RUN;
    private Throwable brokenCause;
    private boolean finished;

    Lifecycle(int processes, WorkerSet workers, TaskQueue tasks) {
        this.processes = processes;
        this.workers = workers;
        this.tasks = tasks;
    }

    boolean isRunning() {
        return state == RunState.RUN;
    }

    /**
     * Whether a job's tasks may be queued: a new job only while running; more tasks of an imap
     * already accepted until terminated. Throws Python's "Pool not running" for a new job refused.
     */
    boolean accepts(boolean more) {
        if (more) {
            return state != RunState.TERMINATE;
        }
        checkRunning();
        return true;
    }

    /** Throws Python's "Pool not running" (with the reason a broken pool closed) unless running. */
    void checkRunning() {
        if (state != RunState.RUN) {
            IllegalStateException notRunning = new IllegalStateException("Pool not running");
            if (brokenCause != null) {
                notRunning.initCause(brokenCause);
            }
            throw notRunning;
        }
    }

    /** Throws Python's "Pool is still running": join needs close or terminate first. */
    void checkJoinable() {
        if (state == RunState.RUN) {
            throw new IllegalStateException("Pool is still running");
        }
    }

    /** Python's close(). */
    void close() {
        if (state == RunState.RUN) {
            state = RunState.CLOSE;
        }
    }

    /** Fails the queued tasks and closes the pool to new work: a worker cannot be started or initialized. */
    void breakPool(Throwable cause) {
        if (brokenCause != null) {
            return;
        }
        brokenCause = cause;
        close();
        failQueuedIfBroken();
    }

    /** After an internal error: broken for that reason, unless broken already. */
    void breakQuietly(Throwable cause) {
        if (brokenCause == null) {
            brokenCause = cause;
        }
    }

    /**
     * A broken pool starts no workers and hands out no more tasks: whatever is queued (tasks taken
     * back from a worker that died since, an imap's later chunks) fails with the reason.
     */
    void failQueuedIfBroken() {
        if (brokenCause != null) {
            tasks.failQueued(brokenCause);
        }
    }

    /** Starts workers to keep the pool at its size while it has (or may get) work. */
    void maintainSize() {
        if (state == RunState.TERMINATE || brokenCause != null) {
            return;
        }
        if (state == RunState.CLOSE && !tasks.hasWork()) {
            return;
        }
        workers.maintain(processes);
    }

    /**
     * Python's terminate(): cancels every task not finished, signals the workers. Returns the
     * tasks that had not started (none if terminated before).
     */
    List<Task> terminate(long now) {
        List<Task> notStarted = new ArrayList<>();
        if (state == RunState.TERMINATE) {
            return notStarted;
        }
        state = RunState.TERMINATE;
        tasks.cancelQueued(notStarted);
        for (WorkerHandle worker : workers.all()) {
            boolean first = true;
            for (Task task : worker.inFlight()) {
                if (!task.isDone()) {
                    if (!first) {
                        notStarted.add(task); // behind the one it was on: never started
                    }
                    tasks.cancel(task);
                }
                first = false;
            }
        }
        workers.terminateAll(now);
        return notStarted;
    }

    /**
     * Moves the lifecycle on: once closed and drained, tells the workers to exit; once every worker
     * is gone, the pool is finished. Returns whether it is finished.
     */
    boolean progress() {
        if (state == RunState.RUN) {
            return false;
        }
        if (state == RunState.CLOSE && !tasks.hasWork()) {
            for (WorkerHandle worker : workers.all()) {
                worker.askToExit();
            }
        }
        if (workers.isGone() && (state == RunState.TERMINATE || !tasks.hasWork())) {
            finished = true;
        }
        return finished;
    }

    /** Python's repr: {@code state=RUN, pool_size=4}. */
    String describe() {
        return "state=" + (finished ? "TERMINATED" : state.name()) + ", pool_size=" + processes;
    }
}
