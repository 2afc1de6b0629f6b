package io.multiprocessing4j.function;

import java.io.Serializable;

/**
 * A two-argument function for {@link io.multiprocessing4j.pool.Pool#starmap}: Python's {@code starmap(multiply, pairs)}
 * calls {@code multiply(a, b)} for every pair. Serializable, like {@link PoolFunction}.
 */
@FunctionalInterface
public interface PoolBiFunction<A, B, R> extends Serializable {
    /** Computes the result for one pair, in a worker; whatever it throws fails that item's chunk. */
    R apply(A first, B second) throws Exception;
}
