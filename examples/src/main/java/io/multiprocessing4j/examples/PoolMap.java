package io.multiprocessing4j.examples;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.pool.Pool;
import java.util.List;

/**
 * The walkthrough's first pool program: {@code map} of {@code cube} over {@code range(5)} with a
 * pool of one worker fewer than there are CPUs. Prints {@code [0, 0, 1, 9, 36]}.
 */
public final class PoolMap {
    private PoolMap() {
    }

    public static void main(String[] args) throws Exception {
        int cpus = Multiprocessing.cpuCount(); // cpu count available in machine
        List<Integer> numbers = List.of(0, 1, 2, 3, 4);
        // cpu_count - 1 workers, as the original; at least one, since Python's Pool(0) is an error too
        Pool p = new Pool(Math.max(1, cpus - 1));
        List<Long> result = p.map(Cubes::cube, numbers);
        System.out.println(result);
        p.shutdown(); // Python's p.close()
        p.join();
    }
}
