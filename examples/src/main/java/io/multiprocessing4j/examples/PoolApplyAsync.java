package io.multiprocessing4j.examples;

import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;

/**
 * The walkthrough's {@code apply_async} with a callback: the calls return at once (their results
 * print as pending), the worker prints, and the callback prints each result in this process.
 */
public final class PoolApplyAsync {
    private PoolApplyAsync() {
    }

    public static void main(String[] args) throws Exception {
        Pool p = new Pool();
        AsyncResult<Long> result = p.applyAsync(() -> Cubes.cubeTelling(50), Cubes::customCallback);
        System.out.println("result:  " + result);
        result = p.applyAsync(() -> Cubes.cubeTelling(10), Cubes::customCallback);
        System.out.println("result:  " + result);
        p.shutdown();
        p.join();
        System.out.println("end");
    }
}
