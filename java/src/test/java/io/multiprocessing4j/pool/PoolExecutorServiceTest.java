package io.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.function.PoolCallable;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The ExecutorService contract, kept by a pool of worker processes. */
class PoolExecutorServiceTest {
    private static final long BOUND_MS = 30_000;

    /** A serializable Callable that is not a lambda. */
    static final class Square implements Callable<Integer>, Serializable {
        private static final long serialVersionUID = 1L;
        private final int value;

        Square(int value) {
            this.value = value;
        }

        @Override
        public Integer call() {
            return value * value;
        }
    }

    static int failing() throws IOException {
        throw new IOException("no luck");
    }

    @Test
    void submitRunsCallablesAndRunnablesAndComposes() throws Exception {
        try (Pool pool = new Pool(2)) {
            PoolExecutorService executor = pool.asExecutorService();
            Future<Long> cube = executor.submit(() -> Tasks.cube(50));
            assertEquals(1500625L, cube.get(BOUND_MS, TimeUnit.MILLISECONDS));
            assertEquals(49, executor.submit(new Square(7)).get());
            Future<?> ran = executor.submit(() -> {
                Tasks.cube(3);
            });
            assertNull(ran.get());
            assertEquals("done", executor.submit(() -> {
                Tasks.cube(3);
            }, "done").get());
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> executor.submit(PoolExecutorServiceTest::failing).get());
            assertInstanceOf(IOException.class, failed.getCause());

            CompletableFuture<Long> composed = executor.submit(() -> Tasks.cube(4))
                    .thenCombine(executor.submit(() -> Tasks.cube(3)), Long::sum)
                    .toCompletableFuture();
            assertEquals(45L, composed.get(BOUND_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aTaskThatCannotBeSerializedIsRejectedSayingWhy() {
        try (Pool pool = new Pool(1)) {
            PoolExecutorService executor = pool.asExecutorService();
            Callable<Integer> plain = () -> 1; // a Callable variable: the lambda is not serializable
            RejectedExecutionException rejected = assertThrows(RejectedExecutionException.class,
                    () -> executor.submit(plain));
            assertTrue(rejected.getMessage().contains("not serializable"), rejected.getMessage());
            assertTrue(rejected.getMessage().contains("(PoolCallable<T>) () -> ..."), rejected.getMessage());
            ExecutorService asPlainInterface = executor;
            assertThrows(RejectedExecutionException.class, () -> asPlainInterface.submit(() -> 2));
            assertThrows(RejectedExecutionException.class, () -> executor.execute((Runnable) () -> { }));
            assertThrows(NullPointerException.class, () -> executor.submit((Callable<Object>) null));
        }
    }

    @Test
    void invokeAllReturnsEveryFutureDoneInOrder() throws Exception {
        try (Pool pool = new Pool(2)) {
            PoolExecutorService executor = pool.asExecutorService();
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(new Square(i));
            }
            List<Future<Integer>> futures = executor.invokeAll(tasks);
            assertEquals(10, futures.size());
            for (int i = 0; i < 10; i++) {
                assertTrue(futures.get(i).isDone());
                assertEquals(i * i, futures.get(i).get());
            }
        }
    }

    @Test
    void invokeAllWithATimeoutCancelsWhatIsNotDone() throws Exception {
        try (Pool pool = new Pool(2)) {
            PoolExecutorService executor = pool.asExecutorService();
            // Lambdas in a List<Callable<T>> are compiled as plain Callables: say PoolCallable.
            List<Callable<Long>> tasks = List.of((PoolCallable<Long>) () -> 1L, (PoolCallable<Long>) Tasks::sleepForever);
            List<Future<Long>> futures = executor.invokeAll(tasks, 500, TimeUnit.MILLISECONDS);
            assertEquals(1L, futures.get(0).get());
            assertTrue(futures.get(1).isCancelled());
            assertThrows(CancellationException.class, () -> futures.get(1).get());
            // the cancelled task's worker was killed: the pool replaces it and serves on
            assertEquals(9L, pool.apply(() -> Tasks.cube(3)));
        }
    }

    @Test
    void invokeAnyReturnsAResultOfATaskThatSucceeded() throws Exception {
        try (Pool pool = new Pool(2)) {
            PoolExecutorService executor = pool.asExecutorService();
            List<Callable<Integer>> tasks = List.of((PoolCallable<Integer>) PoolExecutorServiceTest::failing,
                    (PoolCallable<Integer>) () -> Tasks.sleepThenReturn(100, 42));
            assertEquals(42, executor.invokeAny(tasks));
            ExecutionException allFailed = assertThrows(ExecutionException.class,
                    () -> executor.invokeAny(List.of((PoolCallable<Integer>) PoolExecutorServiceTest::failing)));
            assertInstanceOf(IOException.class, allFailed.getCause());
            assertThrows(TimeoutException.class, () -> executor.invokeAny(
                    List.of((PoolCallable<Long>) Tasks::sleepForever), 200, TimeUnit.MILLISECONDS));
            assertThrows(IllegalArgumentException.class, () -> executor.invokeAny(List.of()));
        }
    }

    @Test
    void shutdownFinishesSubmittedTasksAndRejectsNewOnes() throws Exception {
        Pool pool = new Pool(2);
        PoolExecutorService executor = pool.asExecutorService();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int value = i;
            futures.add(executor.submit(() -> Tasks.sleepThenReturn(50, value)));
        }
        executor.shutdown();
        assertTrue(executor.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> executor.submit(() -> 1));
        assertTrue(executor.awaitTermination(BOUND_MS, TimeUnit.MILLISECONDS));
        assertTrue(executor.isTerminated());
        for (int i = 0; i < 6; i++) {
            assertEquals(i, futures.get(i).get(0, TimeUnit.MILLISECONDS));
        }
        pool.close();
    }

    @Test
    void shutdownNowCancelsEverythingAndHandsBackWhatDidNotStart() throws Exception {
        Pool pool = new Pool(1);
        List<Long> pids = pool.workerPids();
        PoolExecutorService executor = pool.asExecutorService();
        Future<Long> running = executor.submit(Tasks::sleepForever);
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(executor.submit(new Square(i)));
        }
        Thread.sleep(100);
        List<Runnable> notStarted = executor.shutdownNow();
        assertEquals(5, notStarted.size(), "the five queued tasks never started");
        notStarted.get(0).run(); // each runs here if the caller wants it to
        assertTrue(running.isCancelled());
        for (Future<Integer> future : waiting) {
            assertTrue(future.isCancelled());
        }
        assertTrue(executor.awaitTermination(BOUND_MS, TimeUnit.MILLISECONDS));
        assertFalse(executor.awaitTermination(0, TimeUnit.MILLISECONDS) && !executor.isTerminated());
        Tasks.assertAllGone(pids);
        pool.close();
    }

    @Test
    void cancellingARunningTaskWithInterruptionKillsItsWorkerWhichIsReplaced() throws Exception {
        try (Pool pool = new Pool(1)) {
            long pid = pool.workerPids().get(0);
            AsyncResult<Long> running = pool.asExecutorService().submit(Tasks::sleepForever);
            Thread.sleep(100);
            assertTrue(running.cancel(true));
            assertTrue(running.isCancelled());
            assertFalse(running.cancel(true), "already cancelled");
            assertTrue(io.multiprocessing4j.support.ProcessTable.awaitGone(pid, Duration.ofMillis(BOUND_MS)));
            assertEquals(27L, pool.apply(() -> 27L));

            AsyncResult<Long> queuedBehind = pool.applyAsync(Tasks::sleepForever);
            AsyncResult<Long> queued = pool.applyAsync(() -> 5L);
            assertTrue(queued.cancel(false));
            assertThrows(CancellationException.class, queued::get);
            assertTrue(queuedBehind.cancel(true));
        }
    }
}
