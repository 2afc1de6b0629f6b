package io.multiprocessing4j.queues;

/**
 * Python's {@code queue.Full}: a {@code put} that may not wait, or whose timeout passed, found no
 * room in the queue. Unchecked, like {@link Empty}.
 */
public class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the message "the queue is full". */
    public Full() {
        super("the queue is full");
    }

    /** With a message of the caller's, e.g. one that names the queue or the timeout. */
    public Full(String message) {
        super(message);
    }
}
