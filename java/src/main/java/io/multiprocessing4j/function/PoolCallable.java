package io.multiprocessing4j.function;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task with its arguments captured, run in a worker process: {@code pool.apply(() -> cube(50))}
 * is Python's {@code pool.apply(cube, (50,))}. A serializable {@link Callable}, so that a lambda
 * passed where one is expected (here and in {@link io.multiprocessing4j.pool.PoolExecutorService#submit(PoolCallable)})
 * is compiled as serializable.
 */
@FunctionalInterface
public interface PoolCallable<R> extends Callable<R>, Serializable {
}
