/**
 * Queues between processes: Python's {@code multiprocessing.Queue}, {@code JoinableQueue} and
 * {@code SimpleQueue}, with {@code queue.Empty} and {@code queue.Full}.
 *
 * <p>{@link io.multiprocessing4j.queues.Queue} is also a {@link java.util.concurrent.BlockingQueue}.
 * Create a queue in one process and capture it in a {@link io.multiprocessing4j.ChildProcess}'s
 * target: every process then puts into and takes from the same queue.
 *
 * <p>Python to Java: {@code put(obj, block, timeout)} is {@code put(item)}, {@code put(item, Duration)},
 * {@code put(item, block, Duration)} and {@code putNowait(item)}; {@code get} likewise; {@code empty()}
 * and {@code full()} are {@code isEmpty()} and {@code isFull()}; {@code task_done()} is
 * {@code taskDone()}; {@code join_thread()} and {@code cancel_join_thread()} are {@code joinThread()}
 * and {@code cancelJoinThread()}, which have nothing to do: there is no feeder thread, what a put has
 * put is in shared memory when it returns. Python's {@code None} sentinel is {@code null}.
 *
 * <p>How it works: a queue is a ring of records in one shared memory segment, with one lock for the
 * producers' end and one for the consumers' end, each a word that names its holder. A put or a get
 * is a compare-and-swap, a copy and a few stores, with no system call; a process enters the kernel
 * only to sleep on an empty (or full) queue and to wake such a sleeper. Each update becomes visible
 * through a single store, so a process killed at any instant leaves nothing half-done, and whoever
 * takes a lock over from a dead process puts its end's count right from the records. An unbounded
 * queue whose ring is full goes on in overflow chunks, further shared memory segments linked from
 * the ring and from each other, which consumers remove as they pass them.
 */
package io.multiprocessing4j.queues;
