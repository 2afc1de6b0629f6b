package io.multiprocessing4j.pool;

import java.io.Serializable;

/**
 * A task without a result, run in a worker process: a serializable {@link Runnable}, so that a
 * lambda passed to {@link PoolExecutorService#execute(PoolRunnable)} or
 * {@link PoolExecutorService#submit(PoolRunnable)} is compiled as serializable.
 */
@FunctionalInterface
public interface PoolRunnable extends Runnable, Serializable {
}
