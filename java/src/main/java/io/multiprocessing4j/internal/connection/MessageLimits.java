package io.multiprocessing4j.internal.connection;

/** The size limit on received messages that connections start with. */
public final class MessageLimits {
    /**
     * 1 GiB: far above what a message should carry (use shared memory for bulk data), low enough
     * that a peer's length header alone cannot ask for most of a heap.
     */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1L << 30;

    private MessageLimits() {
    }
}
