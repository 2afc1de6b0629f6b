/**
 * Cross-process synchronization: Python's {@code multiprocessing.synchronize}.
 *
 * <p>{@link io.multiprocessing4j.synchronize.Lock}, {@link io.multiprocessing4j.synchronize.RLock},
 * {@link io.multiprocessing4j.synchronize.Semaphore}, {@link io.multiprocessing4j.synchronize.BoundedSemaphore},
 * {@link io.multiprocessing4j.synchronize.Condition}, {@link io.multiprocessing4j.synchronize.Event} and
 * {@link io.multiprocessing4j.synchronize.Barrier} live in shared memory. Create one in a process and
 * capture it in a {@link io.multiprocessing4j.ChildProcess}'s target: the child works on the same
 * primitive. Their state vanishes when no process uses them any more.
 *
 * <p>Python to Java: {@code acquire(block, timeout)} is {@code acquire()}, {@code acquire(false)},
 * {@code acquire(Duration)}; {@code with lock:} is {@code try (var held = lock.hold())};
 * {@code wait(timeout)} is {@code await(Duration)}; {@code notify(n)} and {@code notify_all()} are
 * {@code signal(n)} and {@code signalAll()} (Object's {@code notify} methods are taken). Blocking
 * calls throw {@link java.lang.InterruptedException} when the waiting thread is interrupted.
 *
 * <p>Beyond Python: a thread waiting for a {@code Lock} or {@code RLock} whose holder process died
 * is not left waiting for ever: within about a second it takes the lock over and gets an
 * {@link io.multiprocessing4j.synchronize.OwnerDiedException} naming the dead process.
 */
package io.multiprocessing4j.synchronize;
