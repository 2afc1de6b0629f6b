package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.util.ArrayList;
import java.util.List;
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
    /** Tasks queued or sent, not yet done. */
    int unfinishedTasks;
    /** Still receiving tasks (an imap reading its input). */
    boolean feeding;
    boolean cancelled;
    /** Every task of the job, for cancellation. */
    final List<Task> tasks = new ArrayList<>();
    /** What the caller submitted (for ExecutorService.shutdownNow, which hands back unstarted tasks). */
    Object source;
    /** Whether its use of the function has been given back to the table. */
    boolean functionReleased;

    Job(PoolCore pool, FunctionEntry function) {
        this.pool = pool;
        this.function = function;
    }

    /** A task's outcome. */
    abstract void taskDone(Task task, Outcome outcome);

    /** Resolves the job's result as cancelled; false if it was already resolved. */
    abstract boolean resolveCancelled();

    /** A task of the job was cancelled by the pool's termination. */
    void taskCancelled(Task task) {
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
