package io.multiprocessing4j.function;

import java.io.Serializable;

/**
 * A function a {@link io.multiprocessing4j.pool.Pool} applies in its worker processes: Python's {@code func} of
 * {@code apply}, {@code map} and {@code imap}. Write it as a lambda or method reference; it is
 * serialized in the caller and rebuilt in the workers, so what it captures must be serializable.
 *
 * <pre>{@code
 * static long cube(int number) { ... }
 * pool.map(Cubes::cube, numbers);
 * }</pre>
 *
 * It may throw any exception: the exception travels back and is the cause of the
 * {@link java.util.concurrent.ExecutionException} the caller gets, with the worker's stack trace.
 * (So it does not extend {@link java.util.function.Function}, whose {@code apply} cannot throw
 * checked exceptions.)
 */
@FunctionalInterface
public interface PoolFunction<T, R> extends Serializable {
    /** Computes the result for one item, in a worker; whatever it throws becomes the cause the caller sees. */
    R apply(T argument) throws Exception;
}
