package io.multiprocessing4j.function;

import java.io.Serializable;

/**
 * Runs once in every worker process before its first task: Python's {@code initializer} with
 * its {@code initargs} captured. If it throws, the pool is broken: see {@link io.multiprocessing4j.pool.Pool}.
 */
@FunctionalInterface
public interface PoolInitializer extends Serializable {
    /** Prepares a worker, in that worker, before it takes a task; throwing breaks the pool. */
    void initialize() throws Exception;
}
