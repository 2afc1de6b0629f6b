package io.multiprocessing4j.examples;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.pool.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The walkthrough's timing of {@code cube} over {@code range(10000)}: in a pool (its start and
 * end included, as in the original) and serially. (The Python original maps over
 * {@code range(5)} inside its pool function by mistake; here both sides do the same work.)
 *
 * <p>Where CPython needs about 5 s serially, a JVM needs about 50 ms, so the pool's own costs
 * (booting its worker JVMs, which start out interpreting) weigh far more here: the third line
 * times the same map on a pool that is already running. With {@code cpu_count() - 1} workers, a
 * 2-CPU machine has one worker, which cannot beat the serial loop in any case.
 */
public final class PoolVersusSerial {
    private PoolVersusSerial() {
    }

    static List<Long> cubingMultiprocess(List<Integer> numbers, Pool p) throws Exception {
        return p.map(Cubes::cube, numbers);
    }

    public static void main(String[] args) throws Exception {
        List<Integer> number = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
        int workers = Math.max(1, Multiprocessing.cpuCount() - 1);

        long start = System.nanoTime();
        Pool p = new Pool(workers);
        List<Long> pooled = cubingMultiprocess(number, p);
        p.shutdown();
        p.join();
        System.out.println("Multiprocess time:  " + seconds(System.nanoTime() - start));

        start = System.nanoTime();
        List<Long> result = new ArrayList<>();
        for (int i : number) {
            result.add(Cubes.cube(i));
        }
        System.out.println("Serial time:  " + seconds(System.nanoTime() - start));

        try (Pool running = new Pool(workers)) {
            cubingMultiprocess(number, running); // the workers' JIT warms up on a first round
            start = System.nanoTime();
            cubingMultiprocess(number, running);
            System.out.println("Multiprocess time, pool already running:  " + seconds(System.nanoTime() - start));
        }
        if (!pooled.equals(result)) {
            throw new AssertionError("the pool and the serial loop disagree");
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
