/**
 * Named shared memory blocks: Python's {@code multiprocessing.shared_memory}
 * ({@link io.multiprocessing4j.sharedmemory.SharedMemory} and
 * {@link io.multiprocessing4j.sharedmemory.ShareableList}).
 */
package io.multiprocessing4j.sharedmemory;
