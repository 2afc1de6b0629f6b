package io.multiprocessing4j.internal.pool;

/**
 * One unit of work sent to a worker: an apply, or a chunk of a map. Its record (the TASK message
 * part) is encoded at submission. Guarded by the pool's lock.
 */
final class Task {
    enum State {
        /** In the pool's queue. */
        QUEUED,
        /** Sent to a worker, not answered yet. */
        SENT,
        /** Answered, failed or cancelled: any later answer for it is ignored. */
        DONE
    }

    final Job job;
    /** Its place in the job: the chunk number of a map, 0 for an apply. */
    final int index;
    final int items;
    /** Its encoded TASK record; dropped once it is done (a finished map need not keep its arguments). */
    byte[] record;
    State state = State.QUEUED;
    /** The worker it was sent to (while SENT). */
    WorkerHandle worker;
    /** The estimated nanoseconds it takes, when it was sent (FunctionEntry.UNKNOWN if unknown). */
    long estimate;
    /** The message it was sent in, for the accounting of unread bytes at its worker. */
    WorkerHandle.SentMessage message;

    Task(Job job, int index, int items, byte[] record) {
        this.job = job;
        this.index = index;
        this.items = items;
        this.record = record;
    }
}
