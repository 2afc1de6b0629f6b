package io.multiprocessing4j.function;

import java.io.Serializable;
import java.util.List;

/**
 * A function of any number of arguments for {@link io.multiprocessing4j.pool.Pool#starmap}: it receives each argument list
 * as given (Python's {@code f(*args)}). For two arguments, {@link PoolBiFunction} keeps the types.
 */
@FunctionalInterface
public interface PoolStarFunction<R> extends Serializable {
    /** Computes the result for one argument list, in a worker; whatever it throws fails that item's chunk. */
    R apply(List<?> arguments) throws Exception;
}
