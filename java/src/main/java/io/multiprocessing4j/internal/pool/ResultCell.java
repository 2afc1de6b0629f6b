package io.multiprocessing4j.internal.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What an {@code AsyncResult} holds: its outcome once resolved, a latch for threads in
 * {@code get()}, and, only if somebody asked for it, a {@link CompletableFuture} for
 * {@code CompletionStage} use.
 *
 * <p>Waiters of {@code get()} are woken directly by the thread that resolves the cell (usually the
 * pool's result collector), so a round trip costs no extra thread hand-off. Dependent stages never
 * run in the result collector: the future is completed on the pool's callback thread, so a slow
 * {@code thenApply} stalls neither the collection of results nor the pool's timeouts.
 */
public final class ResultCell<T> {
    /** How a resolved result yields its value (decoded on demand, once). */
    interface Resolution<T> {
        /** The value; ExecutionException if the task failed, CancellationException if it was cancelled. */
        T value() throws ExecutionException;
    }

    /** Asks the pool to cancel the task(s) behind a result. */
    interface Canceller {
        boolean cancel(boolean mayInterruptIfRunning);
    }

    static final Resolution<Object> CANCELLED = () -> {
        throw new CancellationException("cancelled");
    };

    private static final VarHandle RESOLUTION;

    static {
        try {
            RESOLUTION = MethodHandles.lookup().findVarHandle(ResultCell.class, "resolution", Resolution.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CountDownLatch resolved = new CountDownLatch(1);
    private final Executor callbackThread;
    private final Canceller canceller;
    /** The pool's public object: kept reachable while its results are (see Pool's cleaner). */
    @SuppressWarnings("unused")
    private final Object owner;
    private volatile Resolution<T> resolution;
    private volatile CompletableFuture<T> stage;

    ResultCell(Executor callbackThread, Canceller canceller, Object owner) {
        this.callbackThread = callbackThread;
        this.canceller = canceller;
        this.owner = owner;
    }

    /** Resolves the cell unless it already is; wakes waiters; completes the stage if there is one. */
    boolean resolve(Resolution<T> outcome, boolean onCallbackThread) {
        if (!RESOLUTION.compareAndSet(this, null, outcome)) {
            return false;
        }
        resolved.countDown();
        CompletableFuture<T> existing = stage;
        if (existing != null) {
            if (onCallbackThread) {
                propagate(existing, outcome);
            } else {
                runOnCallbackThread(() -> propagate(existing, outcome));
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    boolean resolveCancelled() {
        return resolve((Resolution<T>) (Resolution<?>) CANCELLED, false);
    }

    public boolean isDone() {
        return resolution != null;
    }

    public boolean isCancelled() {
        return resolution == CANCELLED;
    }

    public void await() throws InterruptedException {
        resolved.await();
    }

    public boolean await(long nanos) throws InterruptedException {
        return resolved.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The value of a resolved cell (call after {@link #await}). */
    public T value() throws ExecutionException {
        return resolution.value();
    }

    public boolean cancel(boolean mayInterruptIfRunning) {
        return canceller.cancel(mayInterruptIfRunning);
    }

    /** The future behind the cell's {@code CompletionStage} methods; created on first use. */
    public CompletableFuture<T> stage() {
        CompletableFuture<T> existing = stage;
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            existing = stage;
            if (existing == null) {
                existing = new CompletableFuture<>();
                stage = existing;
            }
        }
        Resolution<T> outcome = resolution;
        if (outcome != null) {
            propagate(existing, outcome); // resolved before anyone asked: complete it here
        }
        return existing;
    }

    private void runOnCallbackThread(Runnable action) {
        try {
            callbackThread.execute(action);
        } catch (RejectedExecutionException poolGone) {
            action.run();
        }
    }

    private static <T> void propagate(CompletableFuture<T> future, Resolution<T> outcome) {
        if (future.isDone()) {
            return;
        }
        try {
            future.complete(outcome.value());
        } catch (ExecutionException e) {
            future.completeExceptionally(e.getCause());
        } catch (CancellationException e) {
            future.cancel(false);
        } catch (RuntimeException | Error e) {
            future.completeExceptionally(e);
        }
    }
}
