package io.multiprocessing4j.queues;

import io.multiprocessing4j.internal.queue.MessageRing;
import io.multiprocessing4j.internal.queue.TaskCounter;
import java.time.Duration;

/**
 * A {@link Queue} that also counts unfinished tasks: Python's {@code multiprocessing.JoinableQueue}.
 * Every put adds a task; a consumer calls {@link #taskDone()} once it has dealt with a message it
 * took; {@link #join()} waits, in any process, until every task put has been done.
 *
 * <pre>{@code
 * JoinableQueue<String> work = new JoinableQueue<>();
 * new ChildProcess(() -> { while (true) { handle(work.get()); work.taskDone(); } }, "worker", true).start();
 * work.put("a");
 * work.put("b");
 * work.join();                      // both handled
 * }</pre>
 *
 * <p>The count lives in the queue's shared memory and is changed with single atomic instructions, so
 * it stays exact with any number of processes. As in Python, a consumer killed between {@code get}
 * and {@code taskDone} leaves its task unfinished, and {@code join()} waits for it for ever (or until
 * its timeout, a {@code join(Duration)} Python lacks).
 *
 * @param <E> the type of the messages
 */
public final class JoinableQueue<E> extends Queue<E> {
    private static final long serialVersionUID = 1L;

    private final transient TaskCounter tasks;

    /** An unbounded joinable queue. */
    public JoinableQueue() {
        this(0);
    }

    /** A joinable queue holding at most {@code maxsize} messages; 0 or less: unbounded. */
    public JoinableQueue(int maxsize) {
        this(maxsize, MessageRing.DEFAULT_CAPACITY);
    }

    /** As {@link Queue#Queue(int, int)}. */
    public JoinableQueue(int maxsize, int bufferBytes) {
        this(MessageRing.create(bufferBytes, Math.max(0, maxsize), "JoinableQueue", maxsize <= 0));
    }

    JoinableQueue(MessageRing ring) {
        super(ring);
        this.tasks = ring.tasks();
    }

    /**
     * Python's {@code task_done()}: a message taken from this queue has been dealt with.
     *
     * @throws IllegalStateException if called more times than messages were put ("taskDone() called
     *     too many times"); the count is left unchanged
     */
    public void taskDone() {
        checkOpen();
        tasks.done();
    }

    /** Python's {@code join()}: waits until every message put (by any process) has been marked done. */
    public void join() throws InterruptedException {
        checkOpen();
        checkInterrupt();
        tasks.awaitAllDone(-1);
    }

    /** Like {@link #join()}, waiting at most {@code timeout} (negative: zero); whether every task was done. */
    public boolean join(Duration timeout) throws InterruptedException {
        checkOpen();
        checkInterrupt();
        return tasks.awaitAllDone(timeoutNanos(timeout));
    }

    /** Tasks put and not yet marked done, at some recent instant. */
    public long unfinishedTasks() {
        checkOpen();
        return tasks.unfinished();
    }

    /** Removes every message in the queue at this instant; their tasks count as done. */
    @Override
    public void clear() {
        checkOpen();
        tasks.withdrawn(ring.clear());
    }

    @Override
    void taskAdded() {
        tasks.added();
    }

    @Override
    void tasksWithdrawn(long count) {
        tasks.withdrawn(count);
    }
}
