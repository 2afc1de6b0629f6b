/**
 * The serializable functional interfaces user code implements: what a child process runs
 * ({@link io.multiprocessing4j.function.ProcessTarget}) and what a pool's workers call
 * ({@link io.multiprocessing4j.function.PoolFunction}, {@link io.multiprocessing4j.function.PoolCallable},
 * {@link io.multiprocessing4j.function.PoolBiFunction}, {@link io.multiprocessing4j.function.PoolStarFunction},
 * {@link io.multiprocessing4j.function.PoolRunnable}, {@link io.multiprocessing4j.function.PoolInitializer}).
 * Being serializable, a lambda or method reference of these types can travel to another process.
 * This package depends on the JDK only.
 */
package io.multiprocessing4j.function;
