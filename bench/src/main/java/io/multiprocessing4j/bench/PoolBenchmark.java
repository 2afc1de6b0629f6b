package io.multiprocessing4j.bench;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.StartMethod;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@code Pool} of two workers: {@code map} of a trivial function over 200,000 items (Python's
 * default chunksize: 8 chunks of 25,000) and over 20,000 items one task each (chunksize 1), an
 * {@code applyAsync(...).get()} round trip, the walkthrough's CPU-bound {@code cube} over
 * {@code range(10000)} in the pool and serially, and a pool's start-up and shutdown.
 * bench/compare/run puts them beside the same workloads on CPython's {@code Pool(2)}.
 *
 * <p>Where the time goes. <em>Round trip</em>: four thread wake-ups, nearly all of it (see
 * ConnectionBenchmark for their cost on this VM): the caller sends the task itself and so wakes
 * the worker, the worker's answer wakes the pool's result collector (a poll(2) on all worker
 * connections and sentinels), which wakes the caller waiting in {@code get()}. Our own work is
 * a few microseconds: encoding the task (the function is sent once, then known by number),
 * one {@code sendmsg} each way, a CAS and an unpark. <em>Chunksize 1</em>: up to 256 tasks wait at
 * each worker and leave in one message, and a worker's answers reach the collector a buffer-full
 * per read, so a task costs a few microseconds of encoding, calling and decoding plus the worker's
 * {@code sendmsg} of its answer. <em>Default chunksize</em>: eight messages of 125 KB each way, in
 * a compact encoding (an {@code Integer} is 5 bytes); the time is encoding in the caller, a memory
 * copy through the socket, a tight decode-apply-encode loop in the worker, and the decode in the
 * caller's {@code get()}. <em>Start-up</em>: two JVMs booting (in parallel, on a 2-CPU machine
 * competing for the CPUs), each with its end of a socketpair to the pool. <em>Recovery from a
 * crash</em>: the replacement's JVM boot under spawn; under warm, handing a booted spare its
 * orders (a spare boots in the background meanwhile, so this is what a crash costs while crashes
 * are rarer than boots).
 */
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PoolBenchmark {
    static final int MANY = 200_000;
    static final int SOME = 20_000;
    static final int CUBES = 10_000;

    static int increment(int x) {
        return x + 1;
    }

    /** The walkthrough's cube: the sum of i³ for i below {@code number}. */
    static long cube(int number) {
        long total = 0;
        for (long i = 0; i < number; i++) {
            total += i * i * i;
        }
        return total;
    }

    private static List<Integer> range(int end) {
        return IntStream.range(0, end).boxed().collect(Collectors.toList());
    }

    /** A running pool of two workers, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Running {
        Pool pool;
        final List<Integer> many = range(MANY);
        final List<Integer> some = range(SOME);
        final List<Integer> cubes = range(CUBES);

        @Setup(Level.Trial)
        public void start() {
            pool = new Pool(2);
        }

        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MANY)
    public List<Integer> mapDefaultChunksize(Running running) throws InterruptedException, ExecutionException {
        return running.pool.map(PoolBenchmark::increment, running.many);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(SOME)
    public List<Integer> mapChunksize1(Running running) throws InterruptedException, ExecutionException {
        return running.pool.map(PoolBenchmark::increment, running.some, 1);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Integer applyAsyncRoundTrip(Running running) throws InterruptedException, ExecutionException {
        return running.pool.applyAsync(PoolBenchmark::increment, 1).get();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<Long> cubePool(Running running) throws InterruptedException, ExecutionException {
        return running.pool.map(PoolBenchmark::cube, running.cubes);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long cubeSerial(Running running) {
        long checksum = 0;
        for (int number : running.cubes) {
            checksum += cube(number);
        }
        return checksum;
    }

    /** Pool(2), one task (so a worker is surely up), shutdown, join: Python's {@code with}-less lifecycle. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Integer startAndShutdown() throws InterruptedException, ExecutionException {
        Pool pool = new Pool(2);
        Integer one = pool.apply(PoolBenchmark::increment, 0);
        pool.shutdown();
        pool.join();
        return one;
    }

    /**
     * A pool of one worker, under the spawn or the warm start method, whose worker is running a
     * task that never ends: for each operation the previous replacement is serving, the stuck
     * task has started, and (warm) a spare is booted.
     */
    @State(Scope.Benchmark)
    public static class Crashing {
        @Param({"spawn", "warm"})
        public String startMethod;
        ProcessContext context;
        Pool pool;
        AsyncResult<Long> stuck;

        @Setup(Level.Trial)
        public void start() throws InterruptedException, ExecutionException {
            context = Multiprocessing.getContext(startMethod).warmUp();
            pool = Pool.builder().processes(1).context(context).build();
            pool.apply(PoolBenchmark::increment, 0);
        }

        /** Not timed: the replacement serves, a spare is ready again, the worker is busy for ever. */
        @Setup(Level.Invocation)
        public void settle() throws InterruptedException, ExecutionException {
            pool.apply(PoolBenchmark::increment, 0);
            if (context.startMethod() == StartMethod.WARM
                    && !context.awaitWarmSpares(java.time.Duration.ofSeconds(60))) {
                throw new IllegalStateException("no warm spare booted");
            }
            stuck = pool.applyAsync(PoolBenchmark::sleepForever);
            Thread.sleep(50); // it has started
        }

        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    static long sleepForever() throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
        return 0;
    }

    /**
     * The worker running a task is killed (SIGKILL): the time until a task submitted right then
     * completes on its replacement. The killed task fails with a WorkerDiedException. (CPython's
     * pool notices a dead worker within 0.1 s and forks another; the killed task's result waits
     * for ever.)
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Integer recoverFromCrash(Crashing crashing) throws InterruptedException, ExecutionException {
        Pool pool = crashing.pool;
        ProcessHandle.of(pool.workerPids().get(0)).ifPresent(ProcessHandle::destroyForcibly);
        Integer result = pool.apply(PoolBenchmark::increment, 0);
        try {
            crashing.stuck.get();
            throw new IllegalStateException("the killed task succeeded");
        } catch (ExecutionException expected) {
            return result; // its WorkerDiedException
        }
    }
}
