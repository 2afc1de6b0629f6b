package io.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.function.PoolStarFunction;
import io.multiprocessing4j.internal.pool.Submissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every Pool method gives Python's results in Python's order; one pool of two workers serves them all. */
class PoolMethodsTest {
    private static Pool pool;
    private static List<Long> workerPids;

    @BeforeAll
    static void startPool() {
        pool = new Pool(2);
        workerPids = pool.workerPids();
        assertEquals(2, workerPids.size());
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdown();
        pool.join();
        Tasks.assertAllGone(workerPids);
        assertEquals("Pool[state=TERMINATED, pool_size=2]", pool.toString());
    }

    private static List<Integer> range(int end) {
        return IntStream.range(0, end).boxed().collect(Collectors.toList());
    }

    private static List<Long> cubes(int end) {
        return IntStream.range(0, end).mapToObj(Tasks::cube).collect(Collectors.toList());
    }

    @Test
    void applyReturnsTheResultOfACallableAndOfAFunction() throws Exception {
        assertEquals(1500625L, pool.apply(() -> Tasks.cube(50)));
        assertEquals(2025L, pool.apply(Tasks::cube, 10));
        assertNull(pool.<Object>apply(() -> null));
        assertEquals("Grüße, 世界", pool.apply(text -> text + ", 世界", "Grüße"));
        assertEquals(new Tasks.Point(2, 1), pool.apply(Tasks::mirror, new Tasks.Point(1, 2)));
    }

    @Test
    void applyRunsInAWorkerProcess() throws Exception {
        long pid = pool.apply(Tasks::pid);
        assertTrue(workerPids.contains(pid), pid + " is not one of " + workerPids);
    }

    @Test
    void applyAsyncRunsTheCallbackBeforeTheResultIsReady() throws Exception {
        List<Object> calls = new CopyOnWriteArrayList<>();
        AsyncResult<Long> result = pool.applyAsync(() -> Tasks.cube(50), calls::add);
        assertEquals(1500625L, result.get(Duration.ofSeconds(30)));
        assertEquals(List.of(1500625L), calls, "the callback ran before get() returned");
        assertTrue(result.ready());
        assertTrue(result.successful());
        assertTrue(result.isDone());
        assertFalse(result.isCancelled());

        AsyncResult<Long> second = pool.applyAsync(Tasks::cube, 10, calls::add, calls::add);
        assertEquals(2025L, second.get());
        assertEquals(List.of(1500625L, 2025L), calls);
    }

    @Test
    void callbacksRunInCompletionOrderOnOneThread() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int value = i;
            results.add(pool.applyAsync(() -> value, x -> threads.add(Thread.currentThread().getName())));
        }
        for (AsyncResult<Integer> result : results) {
            result.get();
        }
        assertEquals(20, threads.size());
        assertEquals(1, new HashSet<>(threads).size(), "callbacks share one thread: " + threads);
        assertTrue(threads.get(0).endsWith("-callbacks"), threads.get(0));
    }

    @Test
    void getWithATimeoutThrowsTimeoutExceptionAndSuccessfulRefusesBeforeReady() throws Exception {
        AsyncResult<Integer> slow = pool.applyAsync(() -> Tasks.sleepThenReturn(700, 7));
        assertThrows(TimeoutException.class, () -> slow.get(Duration.ofMillis(50)));
        assertThrows(TimeoutException.class, () -> slow.get(10, TimeUnit.MILLISECONDS));
        assertFalse(slow.await(Duration.ofMillis(10)));
        assertFalse(slow.ready());
        IllegalStateException notReady = assertThrows(IllegalStateException.class, slow::successful);
        assertTrue(notReady.getMessage().endsWith("not ready"), notReady.getMessage());
        assertTrue(slow.await(Duration.ofSeconds(30)));
        assertEquals(7, slow.get());
    }

    @Test
    void mapKeepsTheInputOrderWithAnyChunksize() throws Exception {
        assertEquals(List.of(0L, 0L, 1L, 9L, 36L), pool.map(Tasks::cube, range(5)));
        assertEquals(cubes(1000), pool.map(Tasks::cube, range(1000)));
        assertEquals(cubes(1000), pool.map(Tasks::cube, range(1000), 1));
        assertEquals(cubes(1000), pool.map(Tasks::cube, range(1000), 7));
        assertEquals(cubes(10), pool.map(Tasks::cube, range(10), 100));
        assertEquals(List.of(), pool.map(Tasks::cube, List.of()));
    }

    @Test
    void mapTakesAnyIterableAndAnyValues() throws Exception {
        Iterable<Integer> lazy = () -> IntStream.range(0, 50).iterator();
        assertEquals(cubes(50), pool.map(Tasks::cube, lazy));
        List<Object> values = Arrays.asList(null, "s", 'c', (byte) 1, (short) 2, 3, 4L, 5f, 6d, true,
                new int[] {1}, new long[] {2}, new double[] {3}, new byte[] {4}, new Tasks.Point(5, 6),
                List.of(7, 8), "x".repeat(100_000),
                new ArrayList<>(Arrays.asList(1, null, "x", new Tasks.Point(1, 2), new ArrayList<>(List.of(2, 3)))));
        List<Object> echoed = pool.map(value -> value, values, 3);
        assertEquals(values.size(), echoed.size());
        for (int i = 0; i < values.size(); i++) {
            assertTrue(Arrays.deepEquals(new Object[] {values.get(i)}, new Object[] {echoed.get(i)}),
                    "item " + i + ": sent " + values.get(i) + ", got " + echoed.get(i));
            if (values.get(i) != null) {
                assertEquals(values.get(i).getClass(), echoed.get(i).getClass(), "item " + i);
            }
        }
    }

    @Test
    void manyDistinctFunctionsAreDefinedAndForgottenWithoutMixingThemUp() throws Exception {
        // Each lambda captures another value, so each is a function of its own to the workers;
        // beyond the table's size the oldest are evicted and the workers told to forget them.
        for (int round = 0; round < 2; round++) {
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int captured = i;
                results.add(pool.applyAsync(() -> captured * 3));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(i * 3, results.get(i).get());
            }
        }
    }

    @Test
    void defaultChunksizeIsPythons() {
        // chunksize, extra = divmod(len, len(pool) * 4); if extra: chunksize += 1
        assertEquals(0, Submissions.defaultChunksize(0, 2));
        assertEquals(1, Submissions.defaultChunksize(5, 2));
        assertEquals(1, Submissions.defaultChunksize(8, 2));
        assertEquals(2, Submissions.defaultChunksize(9, 2));
        assertEquals(25_000, Submissions.defaultChunksize(200_000, 2));
        assertEquals(8_334, Submissions.defaultChunksize(200_000, 6));
    }

    @Test
    void mapAsyncGivesTheWholeListToTheCallback() throws Exception {
        List<List<Long>> calls = new CopyOnWriteArrayList<>();
        AsyncResult<List<Long>> result = pool.mapAsync(Tasks::cube, range(5), calls::add, null);
        assertEquals(List.of(0L, 0L, 1L, 9L, 36L), result.get());
        assertEquals(List.of(List.of(0L, 0L, 1L, 9L, 36L)), calls);
        assertEquals(cubes(100), pool.mapAsync(Tasks::cube, range(100), 9).get());
        List<List<Long>> withChunks = new CopyOnWriteArrayList<>();
        assertEquals(cubes(30), pool.mapAsync(Tasks::cube, range(30), 4, withChunks::add, null).get());
        assertEquals(List.of(cubes(30)), withChunks);
    }

    @Test
    void imapYieldsInOrderLazily() throws Exception {
        IMapIterator<Long> results = pool.imap(Tasks::cube, range(5));
        assertEquals(0L, results.next());
        assertEquals(0L, results.next());
        assertEquals(1L, results.next());
        List<Long> rest = new ArrayList<>();
        results.forEachRemaining(rest::add);
        assertEquals(List.of(9L, 36L), rest);
        assertFalse(results.hasNext());
        assertThrows(NoSuchElementException.class, results::next);

        List<Long> all = new ArrayList<>();
        for (long cube : pool.imap(Tasks::cube, range(300), 7)) {
            all.add(cube);
        }
        assertEquals(cubes(300), all);
    }

    @Test
    void imapOrdersResultsThatFinishOutOfOrder() throws Exception {
        List<Integer> delays = List.of(400, 0, 0, 0);
        IMapIterator<Integer> results = pool.imap(delay -> Tasks.sleepThenReturn(delay, delay), delays);
        List<Integer> got = new ArrayList<>();
        results.forEachRemaining(got::add);
        assertEquals(delays, got);
    }

    @Test
    void imapNextWithATimeoutThrowsTimeoutException() throws Exception {
        IMapIterator<Integer> results = pool.imap(millis -> Tasks.sleepThenReturn(millis, millis), List.of(700));
        assertThrows(TimeoutException.class, () -> results.next(Duration.ofMillis(50)));
        assertEquals(700, results.next(Duration.ofSeconds(30)));
        assertThrows(NoSuchElementException.class, () -> results.next(Duration.ofSeconds(1)));
    }

    @Test
    void imapReadsALazyIterableInTheBackground() throws Exception {
        Iterator<Integer> numbers = IntStream.range(0, 200).iterator();
        Iterable<Integer> once = () -> numbers;
        List<Long> got = new ArrayList<>();
        pool.imap(Tasks::cube, once, 3).forEachRemaining(got::add);
        assertEquals(cubes(200), got);
    }

    @Test
    void imapUnorderedYieldsEveryResultExactlyOnce() throws Exception {
        List<Integer> items = range(500);
        List<Long> got = new ArrayList<>();
        pool.imapUnordered(Tasks::cube, items).forEachRemaining(got::add);
        assertEquals(500, got.size());
        List<Long> sorted = new ArrayList<>(got);
        Collections.sort(sorted);
        List<Long> expected = new ArrayList<>(cubes(500));
        Collections.sort(expected);
        assertEquals(expected, sorted);

        Set<Long> chunked = new HashSet<>();
        pool.imapUnordered(Tasks::cube, range(100), 6).forEachRemaining(chunked::add);
        assertEquals(new HashSet<>(cubes(100)), chunked);
    }

    @Test
    void imapUnorderedYieldsTheFastFirst() throws Exception {
        IMapIterator<Integer> results = pool.imapUnordered(delay -> Tasks.sleepThenReturn(delay, delay),
                List.of(800, 0));
        assertEquals(0, results.next(Duration.ofSeconds(30)), "the quick task does not wait for the slow one");
        assertEquals(800, results.next(Duration.ofSeconds(30)));
    }

    static double multiply(int a, double b) {
        return a * b;
    }

    @Test
    void starmapCallsWithEachPairOrArgumentList() throws Exception {
        List<Map.Entry<Integer, Double>> pairs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pairs.add(Map.entry(i, i / 4.0));
        }
        List<Double> expected = pairs.stream().map(p -> multiply(p.getKey(), p.getValue())).collect(Collectors.toList());
        assertEquals(expected, pool.starmap(PoolMethodsTest::multiply, pairs));
        assertEquals(expected, pool.starmap(PoolMethodsTest::multiply, pairs, 1));
        assertEquals(expected, pool.starmapAsync(PoolMethodsTest::multiply, pairs).get());
        List<List<Double>> calls = new CopyOnWriteArrayList<>();
        assertEquals(expected, pool.starmapAsync(PoolMethodsTest::multiply, pairs, 3, calls::add, null).get());
        assertEquals(List.of(expected), calls);

        List<List<?>> argumentLists = List.of(List.of(1, 2, 3), List.of(4, 5), List.of());
        PoolStarFunction<Integer> sum = arguments -> arguments.stream().mapToInt(x -> (Integer) x).sum();
        assertEquals(List.of(6, 9, 0), pool.starmap(sum, argumentLists));
        assertEquals(List.of(6, 9, 0), pool.starmapAsync(sum, argumentLists, 2).get());
    }

    @Test
    void asyncResultsComposeAsCompletableFutures() throws Exception {
        AsyncResult<Long> result = pool.applyAsync(() -> Tasks.cube(4));
        CompletableFuture<Long> plusOne = result.thenApply(x -> x + 1).toCompletableFuture();
        CompletableFuture<Long> both = result.thenCombine(pool.applyAsync(() -> Tasks.cube(3)), Long::sum)
                .toCompletableFuture();
        assertEquals(37L, plusOne.get(30, TimeUnit.SECONDS));
        assertEquals(45L, both.get(30, TimeUnit.SECONDS));
        CompletableFuture<Long> copy = result.toCompletableFuture();
        copy.complete(-1L);
        assertEquals(36L, result.get(), "completing the copy does not touch the pool's result");
        assertEquals(36L, result.toCompletableFuture().join());
        AsyncResult<List<Long>> mapped = pool.mapAsync(Tasks::cube, range(3));
        assertEquals(List.of(0L, 0L, 1L), mapped.toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @Test
    void dependentStagesRunOnTheCallbackThreadNotTheCollector() throws Exception {
        AsyncResult<Integer> result = pool.applyAsync(() -> Tasks.sleepThenReturn(200, 1));
        CompletableFuture<String> thread = result.thenApply(x -> Thread.currentThread().getName())
                .toCompletableFuture();
        String name = thread.get(30, TimeUnit.SECONDS);
        assertTrue(name.endsWith("-callbacks"), name);
        assertSame(1, result.get());
    }
}
