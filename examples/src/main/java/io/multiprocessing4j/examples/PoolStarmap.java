package io.multiprocessing4j.examples;

import io.multiprocessing4j.pool.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The walkthrough's {@code starmap}: {@code multiply(a, b)} for each pair {@code (i, random())}.
 * A pair is a {@code Map.entry}; {@code map} could not call a two-argument function (in Python
 * a TypeError, here it does not compile).
 */
public final class PoolStarmap {
    private PoolStarmap() {
    }

    static double multiply(int a, double b) {
        return a * b;
    }

    public static void main(String[] args) throws Exception {
        Pool p = new Pool();
        List<Map.Entry<Integer, Double>> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(Map.entry(i, ThreadLocalRandom.current().nextDouble()));
        }
        List<Double> result = p.starmap(PoolStarmap::multiply, items);
        System.out.println(result);
        p.shutdown();
        p.join();
    }
}
