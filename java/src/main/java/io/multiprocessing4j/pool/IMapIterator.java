package io.multiprocessing4j.pool;

import io.multiprocessing4j.internal.pool.IMapState;
import io.multiprocessing4j.internal.time.Durations;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link Pool#imap} or {@link Pool#imapUnordered}, as they arrive: Python's
 * {@code IMapIterator}. It is its own {@link Iterable}, so it can be used once in a for-each loop.
 *
 * <pre>{@code
 * for (long cube : pool.imap(Cubes::cube, numbers)) { ... }
 * IMapIterator<Long> results = pool.imap(Cubes::cube, numbers);
 * results.next(Duration.ofSeconds(1));     // TimeoutException if not ready by then
 * }</pre>
 *
 * <p>A task that threw makes {@link #next()} throw a {@link java.util.concurrent.CompletionException}
 * whose cause is the worker's exception (with its stack trace), in the task's place; iteration
 * goes on with the next task. With a chunksize above 1 the task is a chunk: its exception takes the
 * place of all its items. A task cancelled by {@link Pool#terminate()} throws
 * {@link java.util.concurrent.CancellationException}. {@link #next()} and {@link #hasNext()} wait
 * uninterruptibly (as {@code CompletableFuture.join()} does); {@link #next(Duration)} can be
 * interrupted. Results are decoded in the thread that takes them.
 */
public final class IMapIterator<T> implements ProcessPool.ResultIterator<T> {
    private final IMapState<T> state;

    IMapIterator(IMapState<T> state) {
        this.state = state;
    }

    /** Waits until it is known whether another result comes. */
    @Override
    public boolean hasNext() {
        return state.hasNext();
    }

    /** Waits for the next result and returns it. */
    @Override
    public T next() {
        try {
            return state.next(false, 0, false);
        } catch (InterruptedException | TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Waits at most {@code timeout} for the next result (Python's {@code next(timeout)}); a negative
     * timeout counts as zero. An interrupted thread gets InterruptedException at once, even when a
     * result is there.
     */
    public T next(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return state.next(true, Durations.toNanos(timeout), true);
    }

    /** This iterator (once only, as Python's iterators). */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    @Override
    public String toString() {
        return "IMapIterator";
    }
}
