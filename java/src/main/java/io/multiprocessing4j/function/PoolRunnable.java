package io.multiprocessing4j.function;

import java.io.Serializable;

/**
 * A task without a result, run in a worker process: a serializable {@link Runnable}, so that a
 * lambda passed to {@link io.multiprocessing4j.pool.PoolExecutorService#execute(PoolRunnable)} or
 * {@link io.multiprocessing4j.pool.PoolExecutorService#submit(PoolRunnable)} is compiled as serializable.
 */
@FunctionalInterface
public interface PoolRunnable extends Runnable, Serializable {
}
