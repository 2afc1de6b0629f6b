package io.multiprocessing4j.examples;

import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import java.util.List;

/**
 * The walkthrough's {@code map_async} with a callback: the callback receives the whole list, and
 * runs before {@code get()} returns, so "Got result" prints before the values.
 */
public final class PoolMapAsync {
    private PoolMapAsync() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> numbers = List.of(0, 1, 2, 3, 4);
        Pool p = new Pool();
        AsyncResult<List<Long>> result = p.mapAsync(Cubes::cube, numbers, Cubes::customCallback, null);
        System.out.println(result);
        for (long value : result.get()) {
            System.out.println(value);
        }
        p.shutdown();
        p.join();
    }
}
