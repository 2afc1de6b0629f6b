package io.multiprocessing4j.hazelcast;

import io.multiprocessing4j.pool.ProcessPool;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The result of a task submitted to a {@link ClusterPool}: Python's {@code AsyncResult}, a
 * {@link java.util.concurrent.Future} and a {@link java.util.concurrent.CompletionStage}. It is
 * completed by the pool only, on the pool's callback thread (after the task's callback ran), so
 * dependent stages run there too; {@code complete} and the other completing methods of
 * {@link CompletableFuture} are refused with {@link UnsupportedOperationException}.
 */
public final class ClusterResult<T> extends CompletableFuture<T> implements ProcessPool.Result<T> {
    private final Predicate<Boolean> canceller;

    ClusterResult(Predicate<Boolean> canceller) {
        this.canceller = canceller;
    }

    void resolve(T value) {
        super.complete(value);
    }

    void fail(Throwable failure) {
        super.completeExceptionally(failure);
    }

    boolean resolveCancelled() {
        return super.cancel(false);
    }

    /** Waits at most {@code timeout} for the result (Python's {@code get(timeout)}). */
    @Override
    public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return get(nanos(timeout), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("the result is not ready after " + timeout);
        }
    }

    /** Waits until the result is ready (Python's {@code wait()}). */
    @Override
    public void await() throws InterruptedException {
        try {
            get();
        } catch (ExecutionException | CancellationException outcomeKnown) {
            // ready; the outcome is get()'s to report
        }
    }

    /** Waits at most {@code timeout}; returns whether the result is ready (Python's {@code wait(timeout)}). */
    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            get(nanos(timeout), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException outcomeKnown) {
            // ready
        } catch (TimeoutException notYet) {
            return false;
        }
        return true;
    }

    /** Whether the result is ready (Python's {@code ready()}). */
    @Override
    public boolean ready() {
        return isDone();
    }

    /** Whether the task completed without an exception; {@link IllegalStateException} if not ready. */
    @Override
    public boolean successful() {
        if (!isDone()) {
            throw new IllegalStateException(this + " not ready");
        }
        return !isCompletedExceptionally();
    }

    /**
     * Cancels the task: chunks not started will not run; with {@code mayInterruptIfRunning}, a
     * running chunk's thread on its member is interrupted. Returns whether this call cancelled it.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return canceller.test(mayInterruptIfRunning);
    }

    /** Refused: only the pool completes its results. */
    @Override
    public boolean complete(T value) {
        throw new UnsupportedOperationException("a pool's result is completed by the pool only");
    }

    /** Refused: only the pool completes its results. */
    @Override
    public boolean completeExceptionally(Throwable failure) {
        throw new UnsupportedOperationException("a pool's result is completed by the pool only");
    }

    /** Refused: only the pool completes its results. */
    @Override
    public void obtrudeValue(T value) {
        throw new UnsupportedOperationException("a pool's result is completed by the pool only");
    }

    /** Refused: only the pool completes its results. */
    @Override
    public void obtrudeException(Throwable failure) {
        throw new UnsupportedOperationException("a pool's result is completed by the pool only");
    }

    /** A plain {@link CompletableFuture} for dependent stages. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /** A new CompletableFuture completed with this result (completing it does not affect this result). */
    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return copy();
    }

    private static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "ClusterResult[" + (!isDone() ? "pending" : isCancelled() ? "cancelled" : "ready") + "]";
    }
}
