/**
 * Typed values and arrays in shared memory: Python's {@code multiprocessing.sharedctypes}
 * ({@code Value}, {@code Array}, {@code RawValue}, {@code RawArray}).
 *
 * <p>One class per Java primitive: {@link io.multiprocessing4j.sharedctypes.SharedByte} (Python's
 * typecodes {@code b}, {@code B} through its unsigned accessors, and {@code c}),
 * {@link io.multiprocessing4j.sharedctypes.SharedShort} ({@code h}, {@code H}),
 * {@link io.multiprocessing4j.sharedctypes.SharedInt} ({@code i}, {@code I}),
 * {@link io.multiprocessing4j.sharedctypes.SharedLong} ({@code l}, {@code q}; and {@code L},
 * {@code Q} as raw bits), {@link io.multiprocessing4j.sharedctypes.SharedFloat} ({@code f}),
 * {@link io.multiprocessing4j.sharedctypes.SharedDouble} ({@code d}), and an array class for each.
 *
 * <pre>{@code
 * SharedInt x = SharedInt.create(1000);          // Value('i', 1000): comes with an RLock
 * x.withLock(() -> x.set(x.get() + 10));          // with x.get_lock(): x.value += 10
 * x.addAndGet(10);                                // or one atomic instruction, no lock at all
 * SharedInt raw = SharedInt.createRaw(0);         // RawValue('i', 0) / Value('i', 0, lock=False)
 * }</pre>
 *
 * <p>Every {@code get}/{@code set} is a single volatile access, atomic by itself; the lock is for
 * compound updates (read, compute, write). Unlike Python, integral and floating types also offer
 * lock-free atomics ({@code getAndAdd}, {@code compareAndSet}, ...). Values and arrays are created in
 * one process and captured by a child's target; their memory vanishes when no process uses them.
 */
package io.multiprocessing4j.sharedctypes;
