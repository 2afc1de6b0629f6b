package io.multiprocessing4j.internal.pool;

/**
 * One unit of work sent to a worker: an apply, or a chunk of a map. Its record (the TASK message
 * part) is encoded at submission. Guarded by the pool's lock; its state moves only through its
 * own methods: queued, sent to a worker, back to the queue, done.
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
    private byte[] record;
    private State state = State.QUEUED;
    /** The worker it was sent to (while SENT). */
    private WorkerHandle worker;
    /** The estimated nanoseconds it takes, when it was sent (FunctionEntry.UNKNOWN if unknown). */
    private long estimate;
    /** The message it was sent in, for the accounting of unread bytes at its worker. */
    private Outbox.SentMessage message;

    Task(Job job, int index, int items, byte[] record) {
        this.job = job;
        this.index = index;
        this.items = items;
        this.record = record;
    }

    boolean isDone() {
        return state == State.DONE;
    }

    byte[] record() {
        return record;
    }

    WorkerHandle worker() {
        return worker;
    }

    long estimate() {
        return estimate;
    }

    Outbox.SentMessage message() {
        return message;
    }

    /** Whether it was written to its worker's socket: a worker that died before never saw it. */
    boolean wasDelivered() {
        return message != null && message.delivered;
    }

    /** Given to {@code to}, with the estimate of its run time at that moment. */
    void sentTo(WorkerHandle to, long estimatedNanos) {
        state = State.SENT;
        worker = to;
        estimate = estimatedNanos;
    }

    /** Packed into {@code sent}, the message that carries it to its worker. */
    void packedInto(Outbox.SentMessage sent) {
        message = sent;
    }

    /** Its worker died before it could have started it: it goes back to the queue, to run elsewhere. */
    void requeue() {
        state = State.QUEUED;
        worker = null;
        message = null;
    }

    /** Its outcome is known: hands it to its job. Returns whether that job has nothing left to wait for. */
    boolean finish(Outcome outcome) {
        markDone();
        job.taskFinished(this, outcome);
        return job.claimRelease();
    }

    /** Cancelled by the pool's termination: its job is told. Returns whether the job is settled. */
    boolean cancel() {
        markDone();
        job.taskCancelled(this);
        return job.claimRelease();
    }

    /** Cancelled through its job's result: any answer that still comes is dropped. */
    void drop() {
        state = State.DONE;
        job.taskDropped();
    }

    private void markDone() {
        state = State.DONE;
        worker = null;
        record = null;
    }
}
