package io.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.errors.TaskTimeoutException;
import io.multiprocessing4j.errors.WorkerDiedException;
import io.multiprocessing4j.sharedctypes.SharedLong;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;

/**
 * Beyond CPython, whose pool hangs when a worker dies: a task whose worker dies or overruns fails
 * with the pid and exit code, the worker's other tasks run elsewhere, a new worker takes its
 * place. Also maxTasksPerChild and the initializer, which start workers too. Run under both start
 * methods: under warm, replacements start from spare JVMs.
 */
@InFaultSuite
@ProcessSemantics
class PoolWorkerDeathTest {
    private static final int SIGKILL = 9;
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static List<Integer> range(int end) {
        return IntStream.range(0, end).boxed().collect(Collectors.toList());
    }

    /** Waits until the pool again has {@code size} workers, none of them {@code gone}. */
    private static List<Long> awaitSize(Pool pool, int size, long gone) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            List<Long> pids = pool.workerPids();
            if (pids.size() == size && !pids.contains(gone)) {
                return pids;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the pool has workers " + pids + ", not " + size + " without " + gone);
            }
            Thread.sleep(10);
        }
    }

    private static long awaitPidIn(Path marker) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(marker).trim();
            if (!text.isEmpty()) {
                return Long.parseLong(text);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the sleeping task never started");
    }

    @Test
    void aWorkerKilledMidTaskFailsThatTaskOnlyAndIsReplaced() throws Exception {
        Path marker = Files.createTempFile("pool-sleeper", ".pid");
        String markerName = marker.toString();
        try (Pool pool = new Pool(2)) {
            // Let the pool learn that this function is quick, so that tasks queue up behind the sleeper.
            assertEquals(range(40), pool.map(value -> Tasks.sleepOn(value, -1, markerName), range(40), 1));
            List<Long> before = pool.workerPids();

            IMapIterator<Integer> results = pool.imap(value -> Tasks.sleepOn(value, 10, markerName), range(60));
            long victim = awaitPidIn(marker);
            assertTrue(before.contains(victim));
            POSIXFactory.getPOSIX().kill((int) victim, SIGKILL); // an independent killer

            Map<Integer, Object> outcomes = new HashMap<>();
            for (int i = 0; i < 60; i++) {
                try {
                    outcomes.put(i, results.next(BOUND));
                } catch (CompletionException failed) {
                    outcomes.put(i, failed.getCause());
                }
            }
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, outcomes.get(10));
            assertEquals(victim, died.pid());
            assertEquals(-SIGKILL, died.exitCode());
            assertTrue(died.getMessage().contains("pid " + victim), died.getMessage());
            for (int i = 0; i < 60; i++) {
                if (i != 10) {
                    assertEquals(i, outcomes.get(i), "task " + i + " completes");
                }
            }
            List<Long> after = awaitSize(pool, 2, victim);
            assertEquals(2025L, pool.apply(() -> Tasks.cube(10)));
            assertEquals(2, new HashSet<>(after).size());
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void aTaskCallingSystemExitFailsWithItsExitCode() throws Exception {
        try (Pool pool = new Pool(1)) {
            long pid = pool.workerPids().get(0);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.apply(() -> Tasks.exitWith(7)));
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
            assertEquals(7, died.exitCode());
            assertEquals(pid, died.pid());
            assertEquals(12, pool.<Integer, Integer>apply(x -> x, 12), "a new worker serves");
            awaitSize(pool, 1, pid);
        }
    }

    @Test
    void aTaskOverItsTimeoutFailsAndItsWorkerIsReplaced() throws Exception {
        Duration limit = Duration.ofSeconds(1);
        try (Pool pool = Pool.builder().processes(1).taskTimeout(limit).build()) {
            long pid = pool.workerPids().get(0);
            long began = System.nanoTime();
            AsyncResult<Long> stuck = pool.applyAsync(Tasks::sleepForever);
            AsyncResult<Integer> next = pool.applyAsync(x -> x, 5);
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> stuck.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            TaskTimeoutException timedOut = assertInstanceOf(TaskTimeoutException.class, failed.getCause());
            assertEquals(pid, timedOut.pid());
            assertEquals(limit, timedOut.limit());
            assertTrue(tookMs >= limit.toMillis(), "failed after " + tookMs + " ms");
            assertEquals(5, next.get(BOUND.toMillis(), TimeUnit.MILLISECONDS), "the task behind it runs elsewhere");
            awaitSize(pool, 1, pid);
            // The limit is per item: a chunk of three items of 200 ms is within three seconds.
            assertEquals(List.of(0, 1, 2), pool.map(value -> Tasks.sleepThenReturn(200, value), range(3), 3));
        }
    }

    @Test
    void maxTasksPerChildReplacesWorkersAfterThatManyTasks() throws Exception {
        try (Pool pool = new Pool(2, null, 2)) {
            List<Long> pids = pool.map(value -> Tasks.pid(), range(12), 1);
            Map<Long, Integer> tasksPerPid = new HashMap<>();
            for (long pid : pids) {
                tasksPerPid.merge(pid, 1, Integer::sum);
            }
            assertTrue(tasksPerPid.values().stream().allMatch(count -> count <= 2), tasksPerPid.toString());
            assertTrue(tasksPerPid.size() >= 6, "at least 6 workers for 12 tasks: " + tasksPerPid);
            assertEquals(2, awaitSize(pool, 2, -1).size());
        }
    }

    @Test
    void theInitializerRunsOnceInEveryWorkerBeforeItsFirstTask() throws Exception {
        try (Pool pool = new Pool(2, Tasks::initialize, 3)) {
            List<Integer> counts = pool.map(value -> Tasks.initializations, range(12), 1);
            assertEquals(12, counts.size());
            assertTrue(counts.stream().allMatch(count -> count == 1), counts.toString());
        }
    }

    @Test
    void theInitializerCarriesSharedValuesToTheWorkersAsInitargsDo() throws Exception {
        SharedLong started = SharedLong.create(0);
        try (Pool pool = new Pool(2, () -> Tasks.initializeWith(started))) {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (started.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, started.get(), "both workers ran the initializer");
            started.set(40);
            assertEquals(List.of(40L, 40L, 40L), pool.map(value -> Tasks.sharedValue(), range(3), 1));
        }
    }

    @Test
    void anInitializerThatThrowsBreaksThePoolInsteadOfRestartingWorkersForEver() throws Exception {
        Pool pool = new Pool(2, Tasks::failToInitialize);
        try {
            Throwable cause = brokenPoolCause(pool);
            assertTrue(cause.getMessage().contains("initializer"), cause.getMessage());
            Throwable original = cause.getCause();
            assertInstanceOf(IllegalStateException.class, original);
            assertEquals("no database", original.getMessage());
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
            assertEquals("Pool not running", refused.getMessage());
            pool.join(); // broken means closed: join may wait, and returns
        } finally {
            pool.close();
        }
    }

    @Test
    void workersThatDieBeforeTheyAreReadyBreakThePool() throws Exception {
        Pool pool = new Pool(1, () -> Tasks.exitWith(3));
        try {
            Throwable cause = brokenPoolCause(pool);
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, cause);
            assertEquals(3, died.exitCode());
            pool.join();
        } finally {
            pool.close();
        }
    }

    /** Submits until the pool shows it is broken: a queued task fails, or submission is refused. */
    private static Throwable brokenPoolCause(Pool pool) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                AsyncResult<Integer> result = pool.applyAsync(() -> 1);
                result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("a task ran on a pool that should be broken");
            } catch (IllegalStateException refused) {
                assertFalse(pool.toString().contains("RUN,"), pool.toString());
                return refused.getCause();
            } catch (ExecutionException failed) {
                return failed.getCause();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("a task on a broken pool neither ran nor failed", e);
            }
        }
        throw new AssertionError("the pool never broke");
    }
}
