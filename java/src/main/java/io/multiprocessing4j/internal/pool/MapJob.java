package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A map or starmap (also their async forms): one task per chunk; the result is every chunk's
 * results in input order. As in Python, the first chunk that fails resolves the result with its
 * exception; the other chunks still run.
 */
final class MapJob<R> extends Job {
    final ResultCell<List<R>> cell;
    private final Consumer<? super List<R>> callback;
    private final Consumer<? super Throwable> errorCallback;
    private final Outcome[] chunks;
    private int chunksLeft;
    private boolean resolved;

    MapJob(PoolCore pool, Object owner, FunctionEntry function, int chunkCount, Consumer<? super List<R>> callback,
           Consumer<? super Throwable> errorCallback) {
        super(pool, function, null);
        this.cell = new ResultCell<>(pool.callbackThread(), mayInterrupt -> pool.cancel(this, mayInterrupt), owner);
        this.callback = callback;
        this.errorCallback = errorCallback;
        this.chunks = new Outcome[chunkCount];
        this.chunksLeft = chunkCount;
        if (chunkCount == 0) {
            resolved = true;
            deliver(cell, List::of, callback, errorCallback);
        }
    }

    @Override
    void taskDone(Task task, Outcome outcome) {
        if (resolved) {
            return;
        }
        if (!outcome.isSuccess()) {
            resolved = true;
            deliver(cell, new MemoizedResolution<>(() -> {
                throw outcome.executionException();
            }), callback, errorCallback);
            return;
        }
        chunks[task.index] = outcome;
        if (--chunksLeft == 0) {
            resolved = true;
            Outcome[] all = chunks;
            deliver(cell, new MemoizedResolution<>(() -> concatenate(all)), callback, errorCallback);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> List<R> concatenate(Outcome[] chunks) throws java.util.concurrent.ExecutionException {
        int size = 0;
        List<List<Object>> decoded = new ArrayList<>(chunks.length);
        for (Outcome chunk : chunks) {
            List<Object> values = chunk.values();
            decoded.add(values);
            size += values.size();
        }
        List<Object> all = new ArrayList<>(size);
        for (List<Object> values : decoded) {
            all.addAll(values);
        }
        return (List<R>) all;
    }

    @Override
    @SuppressWarnings("unchecked")
    boolean resolveCancelled() {
        if (resolved) {
            return false;
        }
        resolved = true;
        deliver(cell, (ResultCell.Resolution<List<R>>) (ResultCell.Resolution<?>) ResultCell.CANCELLED, callback,
                errorCallback);
        return true;
    }
}
