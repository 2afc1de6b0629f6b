/**
 * Python's {@code multiprocessing.pool}: a {@link io.multiprocessing4j.pool.Pool} of worker
 * processes with Python's API ({@code apply}, {@code map}, {@code imap}, {@code starmap} and their
 * async forms, {@code close}/{@code terminate}/{@code join}), results as
 * {@link io.multiprocessing4j.pool.AsyncResult} (also a {@code Future} and a
 * {@code CompletionStage}) and {@link io.multiprocessing4j.pool.IMapIterator}, an
 * {@link io.multiprocessing4j.pool.PoolExecutorService} view, and what CPython's pool lacks: tasks of
 * a worker that dies fail with its pid and exit code ({@link io.multiprocessing4j.errors.WorkerDiedException})
 * instead of hanging, and an optional per-task timeout
 * ({@link io.multiprocessing4j.errors.TaskTimeoutException}).
 *
 * <p>Functions are the serializable functional interfaces of {@code io.multiprocessing4j.function}
 * ({@link io.multiprocessing4j.function.PoolFunction}, {@link io.multiprocessing4j.function.PoolCallable},
 * {@link io.multiprocessing4j.function.PoolBiFunction}, {@link io.multiprocessing4j.function.PoolStarFunction},
 * {@link io.multiprocessing4j.function.PoolRunnable}, {@link io.multiprocessing4j.function.PoolInitializer}),
 * so that lambdas and method references passed to the pool can travel to its workers.
 */
package io.multiprocessing4j.pool;
