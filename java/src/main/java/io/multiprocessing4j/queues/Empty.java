package io.multiprocessing4j.queues;

/**
 * Python's {@code queue.Empty}: a {@code get} that may not wait, or whose timeout passed, found the
 * queue empty. Unchecked, as Python's exceptions are: a caller that cannot handle it usually has a
 * bug rather than a condition to recover from.
 */
public class Empty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the message "the queue is empty". */
    public Empty() {
        super("the queue is empty");
    }

    /** With a message of the caller's, e.g. one that names the queue or the timeout. */
    public Empty(String message) {
        super(message);
    }
}
