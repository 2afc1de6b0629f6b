/**
 * Python's {@code multiprocessing.pool}: a {@link io.multiprocessing4j.pool.Pool} of worker
 * processes with Python's API ({@code apply}, {@code map}, {@code imap}, {@code starmap} and their
 * async forms, {@code close}/{@code terminate}/{@code join}), results as
 * {@link io.multiprocessing4j.pool.AsyncResult} (also a {@code Future} and a
 * {@code CompletionStage}) and {@link io.multiprocessing4j.pool.IMapIterator}, an
 * {@link io.multiprocessing4j.pool.PoolExecutorService} view, and what CPython's pool lacks: tasks of
 * a worker that dies fail with its pid and exit code ({@link io.multiprocessing4j.pool.WorkerDiedException})
 * instead of hanging, and an optional per-task timeout
 * ({@link io.multiprocessing4j.pool.TaskTimeoutException}).
 *
 * <p>Functions are the serializable functional interfaces of this package
 * ({@link io.multiprocessing4j.pool.PoolFunction}, {@link io.multiprocessing4j.pool.PoolCallable},
 * {@link io.multiprocessing4j.pool.PoolBiFunction}, {@link io.multiprocessing4j.pool.PoolStarFunction},
 * {@link io.multiprocessing4j.pool.PoolRunnable}, {@link io.multiprocessing4j.pool.PoolInitializer}),
 * so that lambdas and method references passed to the pool can travel to its workers.
 */
package io.multiprocessing4j.pool;
