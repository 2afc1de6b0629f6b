package io.multiprocessing4j.examples;

import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The walkthrough's {@code starmap_async}: the same products, through an AsyncResult. */
public final class PoolStarmapAsync {
    private PoolStarmapAsync() {
    }

    public static void main(String[] args) throws Exception {
        Pool p = new Pool();
        List<Map.Entry<Integer, Double>> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(Map.entry(i, ThreadLocalRandom.current().nextDouble()));
        }
        AsyncResult<List<Double>> result = p.starmapAsync(PoolStarmap::multiply, items);
        System.out.println(result);
        for (double value : result.get()) {
            System.out.println(value);
        }
        p.shutdown();
        p.join();
    }
}
