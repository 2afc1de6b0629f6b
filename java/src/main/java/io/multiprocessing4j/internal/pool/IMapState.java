package io.multiprocessing4j.internal.pool;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What an {@code IMapIterator} holds: the answers of an imap's chunks as they arrive, handed out
 * item by item, in input order ({@code imap}) or in order of arrival ({@code imapUnordered}).
 * A chunk is decoded in the consumer's thread, when its first item is asked for. A failed chunk
 * yields its exception once, in its place; iteration then goes on with the next chunk.
 *
 * <p>Two locks: {@link #arrivals} guards what the pool delivers (it is held only for moments, so
 * the pool's result collector never waits for a consumer), {@link #consumer} lets one consumer at
 * a time take items and decode chunks.
 */
public final class IMapState<T> {
    private final boolean ordered;
    /** The pool's public object: kept reachable while its results are (see Pool's cleaner). */
    @SuppressWarnings("unused")
    private final Object owner;

    private final ReentrantLock arrivals = new ReentrantLock();
    private final Condition arrived = arrivals.newCondition();
    // Guarded by arrivals.
    private final Map<Integer, Outcome> byIndex = new HashMap<>();
    private final ArrayDeque<Outcome> inArrivalOrder = new ArrayDeque<>();
    /** Chunks of the imap; -1 while the input is still being read. */
    private int totalChunks = -1;
    /** Chunks taken by the consumer so far. */
    private int takenChunks;

    private final ReentrantLock consumer = new ReentrantLock();
    // Guarded by consumer.
    private List<Object> current;
    private int currentPosition;

    IMapState(boolean ordered, Object owner) {
        this.ordered = ordered;
        this.owner = owner;
    }

    /** A chunk's answer (from the pool's result collector). */
    void deliver(int chunk, Outcome outcome) {
        arrivals.lock();
        try {
            if (ordered) {
                byIndex.put(chunk, outcome);
            } else {
                inArrivalOrder.add(outcome);
            }
            arrived.signalAll();
        } finally {
            arrivals.unlock();
        }
    }

    /** The input is exhausted: there are {@code chunks} chunks. */
    void setTotal(int chunks) {
        arrivals.lock();
        try {
            totalChunks = chunks;
            arrived.signalAll();
        } finally {
            arrivals.unlock();
        }
    }

    /**
     * The next item: waits until it is known whether there is one (at most {@code timeoutNanos}
     * if {@code timed}). Throws NoSuchElementException at the end, CompletionException for a
     * failed chunk (CancellationException for a cancelled one).
     */
    public T next(boolean timed, long timeoutNanos, boolean interruptible) throws InterruptedException,
            TimeoutException {
        long deadline = System.nanoTime() + timeoutNanos;
        consumer.lock();
        try {
            while (current == null || currentPosition >= current.size()) {
                long remaining = timed ? deadline - System.nanoTime() : 0;
                Outcome chunk = takeChunk(true, timed, remaining, interruptible);
                current = decode(chunk);
                currentPosition = 0;
            }
            @SuppressWarnings("unchecked")
            T item = (T) current.get(currentPosition++);
            return item;
        } finally {
            consumer.unlock();
        }
    }

    /** Whether there is a next item; waits (uninterruptibly) until that is known. */
    public boolean hasNext() {
        consumer.lock();
        try {
            if (current != null && currentPosition < current.size()) {
                return true;
            }
            try {
                return takeChunk(false, false, 0, false) != null;
            } catch (InterruptedException | TimeoutException impossible) {
                throw new IllegalStateException(impossible);
            }
        } finally {
            consumer.unlock();
        }
    }

    private static List<Object> decode(Outcome chunk) {
        try {
            return chunk.values();
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof CancellationException) {
                throw (CancellationException) cause;
            }
            throw new CompletionException(failed.getMessage(), cause);
        }
    }

    /**
     * Waits for the next chunk. With {@code take}, removes and returns it (NoSuchElementException
     * at the end); without, only looks: returns it, or null at the end.
     */
    private Outcome takeChunk(boolean take, boolean timed, long timeoutNanos, boolean interruptible)
            throws InterruptedException, TimeoutException {
        long remaining = timeoutNanos;
        boolean interrupted = false;
        arrivals.lock();
        try {
            while (true) {
                if (totalChunks >= 0 && takenChunks >= totalChunks) {
                    if (take) {
                        throw new NoSuchElementException("no more results");
                    }
                    return null;
                }
                Outcome next = ordered ? byIndex.get(takenChunks) : inArrivalOrder.peek();
                if (next != null) {
                    if (take) {
                        if (ordered) {
                            byIndex.remove(takenChunks);
                        } else {
                            inArrivalOrder.poll();
                        }
                        takenChunks++;
                    }
                    return next;
                }
                if (timed) {
                    if (remaining <= 0) {
                        throw new TimeoutException("the next result is not ready");
                    }
                    remaining = arrived.awaitNanos(remaining);
                } else if (interruptible) {
                    arrived.await();
                } else {
                    try {
                        arrived.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            arrivals.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
