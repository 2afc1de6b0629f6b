package io.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.ProcessTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * shutdown/terminate/join/close as Python's close/terminate/join/with-block, and nothing left
 * behind: no worker process, no zombie, no pending result.
 */
class PoolLifecycleTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static List<Integer> range(int end) {
        return IntStream.range(0, end).boxed().collect(Collectors.toList());
    }

    @Test
    void shutdownLetsQueuedTasksFinishThenJoinWaitsForTheWorkersToExit() throws Exception {
        Pool pool = new Pool(2);
        List<Long> pids = pool.workerPids();
        try {
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int value = i;
                results.add(pool.applyAsync(() -> Tasks.sleepThenReturn(100, value)));
            }
            IMapIterator<Long> cubes = pool.imap(Tasks::cube, range(10));
            pool.shutdown();
            pool.join();
            for (int i = 0; i < 6; i++) {
                assertTrue(results.get(i).ready(), "join returned before task " + i + " was done");
                assertEquals(i, results.get(i).get());
            }
            List<Long> got = new ArrayList<>();
            cubes.forEachRemaining(got::add);
            assertEquals(10, got.size());
            for (long pid : pids) {
                assertFalse(ProcessTable.isRunning(pid), "worker " + pid + " still runs after join()");
            }
            assertEquals(List.of(), ProcessTable.lastingZombieChildren(ProcessHandle.current().pid()));
        } finally {
            pool.close();
        }
    }

    @Test
    void joinOnARunningPoolAndTasksAfterShutdownAreRefusedAsInPython() throws Exception {
        try (Pool pool = new Pool(1)) {
            IllegalStateException running = assertThrows(IllegalStateException.class, pool::join);
            assertEquals("Pool is still running", running.getMessage());
            pool.shutdown();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
            assertEquals("Pool not running", closed.getMessage());
            assertThrows(IllegalStateException.class, () -> pool.map(Tasks::cube, range(3)));
            assertThrows(IllegalStateException.class, () -> pool.imap(Tasks::cube, range(3)));
            assertThrows(IllegalStateException.class, () -> pool.imap(Tasks::cube, () -> range(3).iterator()));
            pool.join();
            assertTrue(pool.toString().contains("TERMINATED"), pool.toString());
        }
    }

    @Test
    void terminateCancelsEveryUnfinishedTaskAndStopsTheWorkersAtOnce() throws Exception {
        Pool pool = new Pool(2);
        List<Long> pids = pool.workerPids();
        List<AsyncResult<Long>> running = new ArrayList<>();
        running.add(pool.applyAsync(Tasks::sleepForever));
        running.add(pool.applyAsync(Tasks::sleepForever));
        List<AsyncResult<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(pool.applyAsync(() -> Tasks.cube(10)));
        }
        AsyncResult<List<Long>> mapped = pool.mapAsync(Tasks::cube, range(100));
        IMapIterator<Long> lazy = pool.imap(Tasks::cube, range(50));
        Thread.sleep(200); // the sleepers are running now
        long began = System.nanoTime();
        pool.terminate();
        for (AsyncResult<Long> result : running) {
            assertThrows(CancellationException.class, () -> result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(result.isCancelled());
        }
        for (AsyncResult<Long> result : queued) {
            assertTrue(result.await(BOUND));
        }
        assertTrue(mapped.await(BOUND));
        int taken = 0;
        while (lazy.hasNext()) {
            try {
                lazy.next();
            } catch (CancellationException expected) {
                // tasks not answered before terminate()
            }
            taken++;
        }
        assertEquals(50, taken, "every imap task yields a result or a cancellation");
        pool.join();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(tookMs < 10_000, "terminate and join took " + tookMs + " ms");
        Tasks.assertAllGone(pids);
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
        pool.close(); // after terminate and join: nothing more to do
    }

    @Test
    void tryWithResourcesTerminatesAsPythonsWithBlockAndLeavesNoProcess() throws Exception {
        List<Long> pids;
        AsyncResult<Long> abandoned;
        try (Pool pool = new Pool(2)) {
            pids = pool.workerPids();
            assertEquals(2, pids.size());
            assertEquals(2025L, pool.apply(() -> Tasks.cube(10)));
            abandoned = pool.applyAsync(Tasks::sleepForever);
        }
        for (long pid : pids) {
            assertFalse(ProcessTable.isRunning(pid), "worker " + pid + " outlived close()");
        }
        assertTrue(abandoned.isCancelled());
        assertEquals(List.of(), ProcessTable.lastingZombieChildren(ProcessHandle.current().pid()));
    }

    @Test
    void aCallbackMayTerminateThePoolButNotWaitForItsEnd() throws Exception {
        Pool pool = new Pool(1);
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AsyncResult<Integer> result = pool.applyAsync(() -> 1, value -> {
            pool.terminate();
            try {
                pool.join();
                seen.add("joined");
            } catch (InterruptedException | RuntimeException e) {
                seen.add(e);
            }
            pool.close(); // from a callback: terminates, does not wait for itself
            seen.add("closed");
        });
        assertEquals(1, result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        pool.join();
        assertEquals(2, seen.size(), seen.toString());
        assertTrue(seen.get(0) instanceof IllegalStateException, seen.toString());
        assertEquals("closed", seen.get(1));
    }

    @Test
    void aPoolIsAlsoAnExecutorWhoseShutdownIsThePools() throws Exception {
        Pool pool = new Pool(1);
        PoolExecutorService executor = pool.asExecutorService();
        assertFalse(executor.isShutdown());
        pool.shutdown();
        assertTrue(executor.isShutdown());
        assertTrue(executor.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(executor.isTerminated());
    }
}
