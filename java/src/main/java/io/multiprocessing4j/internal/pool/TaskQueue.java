package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool's tasks on their way: the queue in submission order, handed out to the workers
 * {@link TaskPlacement} chooses, and the table of the functions they call, whose uses end as each
 * job settles. Every way a task ends (answered, failed, cancelled) goes through here, so that a
 * settled job gives its function back exactly once. Guarded by the pool's lock.
 */
final class TaskQueue {
    private final WorkerSet workers;
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private final FunctionTable functions = new FunctionTable();
    /** Imaps still reading their input: the pool stays open for them. */
    private int feeders;

    TaskQueue(WorkerSet workers) {
        this.workers = workers;
    }

    /** The entry of a function (its encoded bytes), one use more. */
    FunctionEntry acquireFunction(byte[] function, CallKind kind) {
        return functions.acquire(function, kind);
    }

    /** Gives back a function whose job never started (its submission failed). */
    void abandonFunction(FunctionEntry function) {
        forgetEvicted(functions.release(function));
    }

    /** Queues a job's tasks, behind those already queued. */
    void enqueue(Job job, List<Task> tasks) {
        job.addTasks(tasks);
        queue.addAll(tasks);
        releaseIfSettled(job); // a job without tasks (an empty map) is settled at once
    }

    void feedingStarted(Job job) {
        job.feedingStarted();
        feeders++;
    }

    /** The imap's input is read; returns false if it was not being read. */
    boolean feedingDone(Job job) {
        if (!job.feedingDone()) {
            return false;
        }
        feeders--;
        releaseIfSettled(job);
        return true;
    }

    /**
     * Hands out queued tasks, in order, while workers can take them, and packs each worker's
     * message for this round. Returns whether a task went to an idle worker (its run, and any
     * deadline for it, starts now).
     */
    boolean dispatch(long now) {
        List<WorkerHandle> all = workers.all();
        boolean startedOne = false;
        while (!queue.isEmpty()) {
            Task task = queue.peekFirst();
            if (task.isDone()) {
                queue.pollFirst(); // cancelled while queued
                continue;
            }
            WorkerHandle worker = TaskPlacement.choose(all, task, now);
            if (worker == null) {
                break;
            }
            queue.pollFirst();
            startedOne |= worker.assign(task, now);
        }
        for (WorkerHandle worker : all) {
            worker.pack(now);
        }
        return startedOne;
    }

    /** A task's outcome is known: it goes to its job. */
    void complete(Task task, Outcome outcome) {
        if (task.finish(outcome)) {
            release(task.job);
        }
    }

    /** Tasks taken back from a worker that died without starting them: they run next, in their order. */
    void requeueFirst(List<Task> tasks) {
        for (int i = tasks.size() - 1; i >= 0; i--) {
            Task task = tasks.get(i);
            task.requeue();
            queue.addFirst(task);
        }
    }

    /** Fails every queued task with {@code cause} (the pool is broken). */
    void failQueued(Throwable cause) {
        if (queue.isEmpty()) {
            return;
        }
        Outcome failure = Outcome.failure(cause);
        List<Task> queued = new ArrayList<>(queue);
        queue.clear();
        for (Task task : queued) {
            if (!task.isDone()) {
                complete(task, failure);
            }
        }
    }

    /** The pool's termination: cancels the queued tasks and adds them to {@code notStarted}. */
    void cancelQueued(List<Task> notStarted) {
        for (Task task : queue) {
            if (!task.isDone()) {
                notStarted.add(task);
                cancel(task);
            }
        }
        queue.clear();
    }

    /** Cancels one task for the pool's termination. */
    void cancel(Task task) {
        if (task.cancel()) {
            release(task.job);
        }
    }

    /**
     * Python's AsyncResult cancellation: every unfinished task of the job is dropped, and the one
     * a worker is running kills that worker if {@code mayInterruptIfRunning}. Returns false if
     * the job's result was already resolved.
     */
    boolean cancelJob(Job job, boolean mayInterruptIfRunning) {
        if (!job.resolveCancelled()) {
            return false;
        }
        for (Task task : job.tasks()) {
            if (task.isDone()) {
                continue;
            }
            WorkerHandle worker = task.worker();
            boolean running = worker != null && worker.head() == task;
            task.drop();
            if (running && mayInterruptIfRunning) {
                worker.kill();
            }
        }
        releaseIfSettled(job);
        return true;
    }

    /** Whether anything is left to do: input still read, tasks queued, or tasks at a worker. */
    boolean hasWork() {
        if (feeders > 0) {
            return true;
        }
        for (Task task : queue) {
            if (!task.isDone()) {
                return true;
            }
        }
        for (WorkerHandle worker : workers.all()) {
            if (!worker.isIdle()) {
                return true;
            }
        }
        return false;
    }

    private void releaseIfSettled(Job job) {
        if (job.claimRelease()) {
            release(job);
        }
    }

    private void release(Job job) {
        forgetEvicted(functions.release(job.function));
    }

    private void forgetEvicted(List<FunctionEntry> evicted) {
        for (FunctionEntry entry : evicted) {
            for (WorkerHandle worker : workers.all()) {
                worker.forget(entry.id);
            }
        }
    }
}
