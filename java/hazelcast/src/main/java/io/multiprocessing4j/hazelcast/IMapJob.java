package io.multiprocessing4j.hazelcast;

import io.multiprocessing4j.hazelcast.internal.BatchTask.Kind;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** An imap or imapUnordered: each chunk's values (or failure) go to the iterator as they arrive. */
final class IMapJob extends Job {
    private final ClusterResultIterator<?> iterator;
    private final AtomicInteger remaining;

    IMapJob(Kind kind, byte[] function, List<byte[]> encodedChunks, int[] sizes, Dispatcher dispatcher,
            Executor callbackThread, Consumer<Job> ended, ClusterResultIterator<?> iterator) {
        super(kind, function, encodedChunks, sizes, dispatcher, callbackThread, ended);
        this.iterator = iterator;
        this.remaining = new AtomicInteger(encodedChunks.size());
    }

    @Override
    void chunkSettled(Chunk chunk, List<Object> values, Throwable failure) {
        iterator.deliver(chunk.index, failure == null ? values
                : new CompletionException(String.valueOf(failure), failure));
        if (remaining.decrementAndGet() == 0) {
            allDone();
        }
    }

    @Override
    void allDone() {
        if (finished.compareAndSet(false, true)) {
            ended();
        }
    }

    /** Delivers a {@link CancellationException} in place of each chunk not answered yet. */
    @Override
    boolean cancel(boolean mayInterrupt) {
        for (Chunk chunk : dispatcher.cancel(this, mayInterrupt)) {
            iterator.deliver(chunk.index, new CancellationException("cancelled: the pool was terminated"));
        }
        if (finished.compareAndSet(false, true)) {
            ended();
            return true;
        }
        return false;
    }
}
