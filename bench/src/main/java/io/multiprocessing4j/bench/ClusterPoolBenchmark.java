package io.multiprocessing4j.bench;

import io.multiprocessing4j.hazelcast.Cluster;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.pool.ProcessPool;
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
 * The same pool workloads, written once against {@link ProcessPool}, on the local {@code Pool(2)}
 * ({@code engine=local}) and on a cluster of two member JVMs on loopback, one task thread each
 * ({@code engine=cluster}): a trivial function mapped over 200,000 items (default chunksize) and
 * over 20,000 items one task each (chunksize 1), an {@code applyAsync(...).get()} round trip, and
 * the walkthrough's CPU-bound {@code cube} over {@code range(10000)}. bench/compare/run cluster puts
 * them beside CPython's {@code Pool(2)}.
 *
 * <p>Where the time goes on the cluster: a Hazelcast executor task carries one chunk, or several
 * short chunks of one call (the pool batches them once members report them short), with the
 * items in a compact tagged form; a round trip is the client's invocation plus two thread
 * hand-offs on the member (I/O thread to executor thread and back) and one here (the client's
 * response thread to the pool's callback thread). At chunksize 1, most of the 20,000 chunks
 * travel hundreds to a task, so the map costs about as much as at a larger chunksize.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClusterPoolBenchmark {
    static final int MANY = 200_000;
    static final int SOME = 20_000;
    static final int CUBES = 10_000;

    static int increment(int x) {
        return x + 1;
    }

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

    /** A running pool of two workers or two members, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Running {
        @Param({"local", "cluster"})
        public String engine;
        Cluster cluster;
        ProcessPool pool;
        final List<Integer> many = range(MANY);
        final List<Integer> some = range(SOME);
        final List<Integer> cubes = range(CUBES);

        @Setup(Level.Trial)
        public void start() {
            if (engine.equals("cluster")) {
                cluster = Cluster.builder().members(2).threadsPerMember(1).build();
                pool = cluster.pool();
            } else {
                pool = new Pool(2);
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MANY)
    public List<Integer> mapDefaultChunksize(Running running) throws InterruptedException, ExecutionException {
        return running.pool.map(ClusterPoolBenchmark::increment, running.many);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(SOME)
    public List<Integer> mapChunksize1(Running running) throws InterruptedException, ExecutionException {
        return running.pool.map(ClusterPoolBenchmark::increment, running.some, 1);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Integer applyAsyncRoundTrip(Running running) throws InterruptedException, ExecutionException {
        return running.pool.applyAsync(ClusterPoolBenchmark::increment, 1).get();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<Long> cubePool(Running running) throws InterruptedException, ExecutionException {
        return running.pool.map(ClusterPoolBenchmark::cube, running.cubes);
    }
}
