package io.multiprocessing4j.pool;

import io.multiprocessing4j.errors.RemoteTaskException;
import io.multiprocessing4j.errors.TaskTimeoutException;
import io.multiprocessing4j.errors.WorkerDiedException;
import io.multiprocessing4j.internal.pool.ResultCell;
import io.multiprocessing4j.internal.time.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The result of a task submitted to a {@link Pool} without waiting for it: Python's
 * {@code AsyncResult} ({@code ApplyResult}, {@code MapResult}), which is also a {@link Future} and a
 * {@link CompletionStage}.
 *
 * <pre>{@code
 * AsyncResult<Long> result = pool.applyAsync(() -> cube(50));
 * result.get();                                     // waits: 1500625
 * result.get(Duration.ofSeconds(1));                // TimeoutException if not ready by then
 * result.thenApply(x -> x + 1).thenAccept(...);     // composes like a CompletableFuture
 * }</pre>
 *
 * <p>If the task threw, {@link #get()} throws an {@link ExecutionException} whose cause is the
 * exception the worker threw, with the worker's stack trace ({@link RemoteTaskException} stands in for
 * one that could not travel); if its worker died, the cause is a {@link WorkerDiedException}; if it
 * overran the pool's task timeout, a {@link TaskTimeoutException}. A task of a pool terminated
 * before it finished is cancelled ({@link java.util.concurrent.CancellationException}).
 *
 * <p>A callback given at submission runs before the result becomes ready, as in Python: when
 * {@code get()} returns, the callback has run. Callbacks and dependent stages run on the pool's
 * callback thread (one per pool, in the order results arrive), never in the thread that collects
 * results from the workers; results are decoded in the thread that asks for them.
 */
public final class AsyncResult<T> implements ProcessPool.Result<T> {
    private final ResultCell<T> cell;

    /** The pool's handle on a job's result; made by this package's pools only. */
    AsyncResult(ResultCell<T> cell) {
        this.cell = cell;
    }

    /** Waits for the result and returns it (Python's {@code get()}). */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        cell.await();
        return cell.value();
    }

    /**
     * Waits at most {@code timeout} for the result (Python's {@code get(timeout)}); a negative
     * timeout counts as zero. Every wait of this class parks the thread; an interrupted thread gets
     * InterruptedException at once, even when the result is there.
     */
    public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        if (!cell.await(Durations.toNanos(timeout))) {
            throw new TimeoutException("the result is not ready after " + timeout);
        }
        return cell.value();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!cell.await(Durations.toNanos(timeout, unit))) {
            throw new TimeoutException("the result is not ready after " + timeout + " " + unit);
        }
        return cell.value();
    }

    /** Waits until the result is ready (Python's {@code wait()}; {@code Object.wait} has that name here). */
    public void await() throws InterruptedException {
        cell.await();
    }

    /** Waits at most {@code timeout}; returns whether the result is ready (Python's {@code wait(timeout)}). */
    public boolean await(Duration timeout) throws InterruptedException {
        return cell.await(Durations.toNanos(timeout));
    }

    /** Whether the result is ready: Python's {@code ready()}, the same as {@link #isDone()}. */
    public boolean ready() {
        return cell.isDone();
    }

    /**
     * Whether the task completed without an exception (Python's {@code successful()}); an
     * {@link IllegalStateException} if it is not ready yet, as Python raises ValueError.
     */
    public boolean successful() {
        if (!cell.isDone()) {
            throw new IllegalStateException(this + " not ready");
        }
        try {
            cell.value();
            return true;
        } catch (ExecutionException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Cancels the task: a task not yet handed to a worker will not run; with
     * {@code mayInterruptIfRunning}, a task a worker is running is stopped by killing that worker
     * (the pool replaces it). A task already handed to a worker but not started may still run,
     * its result discarded. Returns whether this call cancelled it.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cell.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return cell.isCancelled();
    }

    @Override
    public boolean isDone() {
        return cell.isDone();
    }

    @Override
    public String toString() {
        String state = !cell.isDone() ? "pending" : cell.isCancelled() ? "cancelled" : "ready";
        return "AsyncResult[" + state + "]";
    }

    // CompletionStage: every method acts on a CompletableFuture completed on the pool's callback thread.

    /** A new CompletableFuture completed with this result (completing it does not affect this result). */
    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return cell.stage().copy();
    }

    @Override
    public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
        return cell.stage().thenApply(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn) {
        return cell.stage().thenApplyAsync(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn, Executor executor) {
        return cell.stage().thenApplyAsync(fn, executor);
    }

    @Override
    public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
        return cell.stage().thenAccept(action);
    }

    @Override
    public CompletableFuture<Void> thenAcceptAsync(Consumer<? super T> action) {
        return cell.stage().thenAcceptAsync(action);
    }

    @Override
    public CompletableFuture<Void> thenAcceptAsync(Consumer<? super T> action, Executor executor) {
        return cell.stage().thenAcceptAsync(action, executor);
    }

    @Override
    public CompletableFuture<Void> thenRun(Runnable action) {
        return cell.stage().thenRun(action);
    }

    @Override
    public CompletableFuture<Void> thenRunAsync(Runnable action) {
        return cell.stage().thenRunAsync(action);
    }

    @Override
    public CompletableFuture<Void> thenRunAsync(Runnable action, Executor executor) {
        return cell.stage().thenRunAsync(action, executor);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
                                                   BiFunction<? super T, ? super U, ? extends V> fn) {
        return cell.stage().thenCombine(other, fn);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombineAsync(CompletionStage<? extends U> other,
                                                        BiFunction<? super T, ? super U, ? extends V> fn) {
        return cell.stage().thenCombineAsync(other, fn);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombineAsync(CompletionStage<? extends U> other,
                                                        BiFunction<? super T, ? super U, ? extends V> fn,
                                                        Executor executor) {
        return cell.stage().thenCombineAsync(other, fn, executor);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
                                                      BiConsumer<? super T, ? super U> action) {
        return cell.stage().thenAcceptBoth(other, action);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
                                                           BiConsumer<? super T, ? super U> action) {
        return cell.stage().thenAcceptBothAsync(other, action);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
                                                           BiConsumer<? super T, ? super U> action,
                                                           Executor executor) {
        return cell.stage().thenAcceptBothAsync(other, action, executor);
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return cell.stage().runAfterBoth(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
        return cell.stage().runAfterBothAsync(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return cell.stage().runAfterBothAsync(other, action, executor);
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other,
                                                  Function<? super T, U> fn) {
        return cell.stage().applyToEither(other, fn);
    }

    @Override
    public <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other,
                                                       Function<? super T, U> fn) {
        return cell.stage().applyToEitherAsync(other, fn);
    }

    @Override
    public <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other,
                                                       Function<? super T, U> fn, Executor executor) {
        return cell.stage().applyToEitherAsync(other, fn, executor);
    }

    @Override
    public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return cell.stage().acceptEither(other, action);
    }

    @Override
    public CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other,
                                                     Consumer<? super T> action) {
        return cell.stage().acceptEitherAsync(other, action);
    }

    @Override
    public CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other,
                                                     Consumer<? super T> action, Executor executor) {
        return cell.stage().acceptEitherAsync(other, action, executor);
    }

    @Override
    public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return cell.stage().runAfterEither(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
        return cell.stage().runAfterEitherAsync(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action,
                                                       Executor executor) {
        return cell.stage().runAfterEitherAsync(other, action, executor);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        return cell.stage().thenCompose(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn) {
        return cell.stage().thenComposeAsync(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn,
                                                     Executor executor) {
        return cell.stage().thenComposeAsync(fn, executor);
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return cell.stage().handle(fn);
    }

    @Override
    public <U> CompletableFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn) {
        return cell.stage().handleAsync(fn);
    }

    @Override
    public <U> CompletableFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn,
                                                Executor executor) {
        return cell.stage().handleAsync(fn, executor);
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return cell.stage().whenComplete(action);
    }

    @Override
    public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
        return cell.stage().whenCompleteAsync(action);
    }

    @Override
    public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action,
                                                  Executor executor) {
        return cell.stage().whenCompleteAsync(action, executor);
    }

    @Override
    public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
        return cell.stage().exceptionally(fn);
    }

    @Override
    public CompletableFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn) {
        return cell.stage().exceptionallyAsync(fn);
    }

    @Override
    public CompletableFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn, Executor executor) {
        return cell.stage().exceptionallyAsync(fn, executor);
    }

    @Override
    public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return cell.stage().exceptionallyCompose(fn);
    }

    @Override
    public CompletableFuture<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return cell.stage().exceptionallyComposeAsync(fn);
    }

    @Override
    public CompletableFuture<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn,
                                                          Executor executor) {
        return cell.stage().exceptionallyComposeAsync(fn, executor);
    }
}
