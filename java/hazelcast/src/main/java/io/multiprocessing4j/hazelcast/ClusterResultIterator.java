package io.multiprocessing4j.hazelcast;

import io.multiprocessing4j.pool.ProcessPool;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The results of {@link ClusterPool#imap} or {@link ClusterPool#imapUnordered} as they arrive:
 * Python's {@code IMapIterator}, its own {@link Iterable} (once). Chunks are delivered by the pool
 * when their member answers (no polling); a failed chunk makes {@link #next()} throw a
 * {@link CompletionException} (a {@link CancellationException} if cancelled) once, in its place.
 */
public final class ClusterResultIterator<T> implements ProcessPool.ResultIterator<T> {
    private final boolean ordered;
    private final int totalChunks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    // Guarded by lock. A chunk's answer is its List of values or the RuntimeException to throw.
    private final Map<Integer, Object> byIndex = new HashMap<>();
    private final ArrayDeque<Object> inArrivalOrder = new ArrayDeque<>();
    private int takenChunks;
    private List<?> current;
    private int position;

    ClusterResultIterator(boolean ordered, int totalChunks) {
        this.ordered = ordered;
        this.totalChunks = totalChunks;
    }

    void deliver(int chunk, Object answer) {
        lock.lock();
        try {
            if (ordered) {
                byIndex.put(chunk, answer);
            } else {
                inArrivalOrder.add(answer);
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether there is a next item (a failed chunk counts as one: its exception). */
    @Override
    public boolean hasNext() {
        lock.lock();
        try {
            return (current != null && position < current.size()) || takenChunks < totalChunks;
        } finally {
            lock.unlock();
        }
    }

    /** The next result; waits for it. */
    @Override
    public T next() {
        try {
            return next(false, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Waits at most {@code timeout} for the next result (Python's {@code next(timeout)}). */
    @Override
    public T next(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
        return next(true, nanos);
    }

    @SuppressWarnings("unchecked")
    private T next(boolean timed, long nanos) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + nanos;
        lock.lock();
        try {
            while (current == null || position >= current.size()) {
                if (takenChunks >= totalChunks) {
                    throw new NoSuchElementException();
                }
                Object answer;
                while ((answer = ordered ? byIndex.remove(takenChunks) : inArrivalOrder.poll()) == null) {
                    if (!timed) {
                        arrived.await();
                    } else {
                        long remaining = deadline - System.nanoTime();
                        if (remaining <= 0) {
                            throw new TimeoutException("no result within the time given");
                        }
                        arrived.awaitNanos(remaining);
                    }
                }
                takenChunks++;
                if (answer instanceof RuntimeException) {
                    current = null;
                    throw (RuntimeException) answer;
                }
                current = (List<?>) answer;
                position = 0;
            }
            return (T) current.get(position++);
        } finally {
            lock.unlock();
        }
    }

    /** This iterator (once only, as Python's iterators). */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    @Override
    public String toString() {
        return "ClusterResultIterator";
    }

}
