package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.util.function.Consumer;

/** An apply: one task, one value. */
final class ApplyJob<R> extends Job {
    final ResultCell<R> cell;
    private final Consumer<? super R> callback;
    private final Consumer<? super Throwable> errorCallback;
    /** Whether its outcome has been delivered (the cell may resolve later, after the callbacks). */
    private boolean resolved;

    ApplyJob(PoolCore pool, Object owner, FunctionEntry function, Object source, Consumer<? super R> callback,
             Consumer<? super Throwable> errorCallback) {
        super(pool, function, source);
        this.cell = new ResultCell<>(pool.callbackThread(), mayInterrupt -> pool.cancel(this, mayInterrupt), owner);
        this.callback = callback;
        this.errorCallback = errorCallback;
    }

    @Override
    @SuppressWarnings("unchecked")
    void taskDone(Task task, Outcome outcome) {
        if (resolved) {
            return;
        }
        resolved = true;
        ResultCell.Resolution<R> resolution = new MemoizedResolution<>(outcome.isSuccess()
                ? () -> (R) outcome.values().get(0)
                : () -> {
                    throw outcome.executionException();
                });
        deliver(cell, resolution, callback, errorCallback);
    }

    @Override
    boolean resolveCancelled() {
        if (resolved) {
            return false;
        }
        resolved = true;
        deliver(cell, cancelledResolution(), callback, errorCallback);
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <R> ResultCell.Resolution<R> cancelledResolution() {
        return (ResultCell.Resolution<R>) (ResultCell.Resolution<?>) ResultCell.CANCELLED;
    }
}
