package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * What one submission waits for: the answers of its tasks, turned into a result (an apply's
 * value, a map's list, an imap's stream). The pool calls {@link #taskDone} once per task, under
 * its lock, from whichever thread learned the outcome.
 */
abstract class Job {
    final PoolCore pool;
    final FunctionEntry function;
    /** What the caller submitted (for ExecutorService.shutdownNow, which hands back unstarted tasks), or null. */
    private final Object source;
    /** Tasks queued or sent, not yet done. */
    private int unfinishedTasks;
    /** Still receiving tasks (an imap reading its input). */
    private boolean feeding;
    /** Every task of the job, for cancellation. */
    private final List<Task> tasks = new ArrayList<>();
    /** Whether its use of the function has been given back to the table. */
    private boolean functionReleased;

    Job(PoolCore pool, FunctionEntry function, Object source) {
        this.pool = pool;
        this.function = function;
        this.source = source;
    }

    /** What the caller submitted, if it was a Runnable or a Callable (a map's chunk has no such form). */
    Object submittedTask() {
        return source instanceof Runnable || source instanceof Callable ? source : null;
    }

    /** Its tasks, for cancellation (a copy: cancelling one does not change the list). */
    List<Task> tasks() {
        return new ArrayList<>(tasks);
    }

    void addTasks(List<Task> added) {
        tasks.addAll(added);
        unfinishedTasks += added.size();
    }

    /** An imap begins reading its input: the job is not settled until it has read it all. */
    void feedingStarted() {
        feeding = true;
    }

    /** The input is read; returns false if it was not being read. */
    boolean feedingDone() {
        if (!feeding) {
            return false;
        }
        feeding = false;
        return true;
    }

    /**
     * Whether the job has just become settled (no task left and none to come): true once, and the
     * caller then gives its use of the function back to the table.
     */
    boolean claimRelease() {
        if (feeding || unfinishedTasks != 0 || functionReleased) {
            return false;
        }
        functionReleased = true;
        return true;
    }

    /** A task's outcome is known. Called by {@link Task#finish}. */
    final void taskFinished(Task task, Outcome outcome) {
        unfinishedTasks--;
        taskDone(task, outcome);
    }

    /** A task was cancelled by the pool's termination. Called by {@link Task#cancel}. */
    final void taskCancelled(Task task) {
        unfinishedTasks--;
        onTerminated(task);
    }

    /** A task was cancelled through the job's result (its answer, if one comes, is dropped). */
    final void taskDropped() {
        unfinishedTasks--;
    }

    /** A task's outcome. */
    abstract void taskDone(Task task, Outcome outcome);

    /** Resolves the job's result as cancelled; false if it was already resolved. */
    abstract boolean resolveCancelled();

    /** A task of the job was cancelled by the pool's termination. */
    void onTerminated(Task task) {
        resolveCancelled();
    }

    /**
     * Delivers a resolution to {@code cell}: directly, or after running the callbacks on the
     * pool's callback thread (Python runs them before the result is ready, so must we).
     */
    final <T> void deliver(ResultCell<T> cell, ResultCell.Resolution<T> resolution, Consumer<? super T> callback,
                           Consumer<? super Throwable> errorCallback) {
        if (callback == null && errorCallback == null) {
            cell.resolve(resolution, false);
            return;
        }
        pool.callbackThread().execute(() -> {
            try {
                runCallback(resolution, callback, errorCallback);
            } finally {
                cell.resolve(resolution, true);
            }
        });
    }

    private static <T> void runCallback(ResultCell.Resolution<T> resolution, Consumer<? super T> callback,
                                        Consumer<? super Throwable> errorCallback) {
        try {
            T value;
            try {
                value = resolution.value();
            } catch (ExecutionException failed) {
                if (errorCallback != null) {
                    errorCallback.accept(failed.getCause());
                }
                return;
            } catch (CancellationException cancelled) {
                if (errorCallback != null) {
                    errorCallback.accept(cancelled);
                }
                return;
            }
            if (callback != null) {
                callback.accept(value);
            }
        } catch (RuntimeException | Error thrownByCallback) {
            // Reported like an uncaught exception; the result is delivered all the same.
            Thread self = Thread.currentThread();
            self.getUncaughtExceptionHandler().uncaughtException(self, thrownByCallback);
        }
    }
}
