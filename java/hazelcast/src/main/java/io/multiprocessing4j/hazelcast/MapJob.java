package io.multiprocessing4j.hazelcast;

import io.multiprocessing4j.hazelcast.internal.BatchTask.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An apply or a map: one result, every chunk's values in order, or the first failure. The callback
 * (or error callback) runs on the pool's callback thread before the result is ready.
 */
final class MapJob extends Job {
    final ClusterResult<Object> result = new ClusterResult<>(this::cancel);
    private final Consumer<? super List<Object>> callback;
    private final Consumer<? super Throwable> errorCallback;
    private final boolean single;
    private final Object[][] answers;
    private final AtomicInteger remaining;

    MapJob(Kind kind, byte[] function, List<byte[]> encodedChunks, int[] sizes, Dispatcher dispatcher,
           Executor callbackThread, Consumer<Job> ended, Consumer<? super List<Object>> callback,
           Consumer<? super Throwable> errorCallback, boolean single) {
        super(kind, function, encodedChunks, sizes, dispatcher, callbackThread, ended);
        this.callback = callback;
        this.errorCallback = errorCallback;
        this.single = single;
        this.answers = new Object[encodedChunks.size()][];
        this.remaining = new AtomicInteger(encodedChunks.size());
    }

    @Override
    void chunkSettled(Chunk chunk, List<Object> values, Throwable failure) {
        if (failure != null) {
            finish(null, failure);
            return;
        }
        answers[chunk.index] = values.toArray();
        if (remaining.decrementAndGet() == 0) {
            allDone();
        }
    }

    @Override
    void allDone() {
        List<Object> all = new ArrayList<>();
        for (Object[] answer : answers) {
            all.addAll(Arrays.asList(answer));
        }
        finish(all, null);
    }

    private void finish(List<Object> values, Throwable failure) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        runOnCallbackThread(() -> {
            try {
                if (failure == null && callback != null) {
                    callback.accept(values);
                } else if (failure != null && errorCallback != null) {
                    errorCallback.accept(failure);
                }
            } catch (RuntimeException | Error callbackFailed) {
                Thread self = Thread.currentThread();
                self.getUncaughtExceptionHandler().uncaughtException(self, callbackFailed);
            }
            if (failure != null) {
                result.fail(failure);
            } else {
                result.resolve(single ? values.get(0) : values);
            }
            ended();
        });
    }

    @Override
    boolean cancel(boolean mayInterrupt) {
        dispatcher.cancel(this, mayInterrupt);
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        boolean done = result.resolveCancelled();
        ended();
        return done;
    }
}
