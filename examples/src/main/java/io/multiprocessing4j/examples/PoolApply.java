package io.multiprocessing4j.examples;

import io.multiprocessing4j.pool.Pool;

/**
 * The walkthrough's {@code apply}: each call blocks until its result is there; both run in the
 * same worker process, as the pids show.
 */
public final class PoolApply {
    private PoolApply() {
    }

    public static void main(String[] args) throws Exception {
        Pool p = new Pool();
        long result = p.apply(() -> Cubes.cubeTelling(50));
        System.out.println("result:  " + result);
        result = p.apply(() -> Cubes.cubeTelling(10));
        System.out.println("result:  " + result);
        p.shutdown();
        System.out.println("end");
        p.join(); // the original leaves this to the interpreter's exit; here the next example follows
    }
}
