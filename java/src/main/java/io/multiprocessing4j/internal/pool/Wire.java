package io.multiprocessing4j.internal.pool;

/**
 * The pool's protocol between the parent and a worker, over one duplex connection per worker.
 * Every message is a byte message of the connection (so it is framed as CPython frames them).
 *
 * <p>Worker to parent, one record per message:
 * <pre>
 *   READY        'R'                                   initializer done, send tasks
 *   INIT_FAILED  'I' block(throwable)                  the initializer threw; the worker exits
 *   OK           'O' long nanos, block(results)        the oldest unanswered task succeeded
 *   ERROR        'E' long nanos, block(throwable)      the oldest unanswered task failed
 * </pre>
 * A worker runs its tasks strictly in the order they arrive, one at a time, and sends each
 * answer before starting the next task. So the parent always knows which task a worker is on:
 * the oldest one it has not answered. {@code nanos} is how long the worker spent on the task,
 * which the parent uses to decide how many tasks to queue at a worker.
 *
 * <p>Parent to worker, any number of records per message (tasks queued together leave together):
 * <pre>
 *   DEFINE 'D' int id, byte callKind, int length, bytes   a function (see FunctionCodec), from now on known by id
 *   FORGET 'X' int id                                     the function will not be used again
 *   TASK   'T' int functionId, int items, int length, block(arguments of every item)
 * </pre>
 * A task of several items is a chunk of a map: its result is one block with a result per item.
 * Closing the parent's end tells the worker to exit.
 */
final class Wire {
    static final byte READY = 'R';
    static final byte INIT_FAILED = 'I';
    static final byte OK = 'O';
    static final byte ERROR = 'E';

    static final byte DEFINE = 'D';
    static final byte FORGET = 'X';
    static final byte TASK = 'T';

    /** Bytes in front of a task's block: tag, function id, item count, block length. */
    static final int TASK_HEADER = 13;

    private Wire() {
    }
}
