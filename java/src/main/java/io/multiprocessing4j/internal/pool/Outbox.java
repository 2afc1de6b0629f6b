package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.connection.MessageChannel;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages on their way to one worker. They are added under the pool's lock (so they keep
 * the order in which tasks were given out) and written after it is released, by whichever thread
 * gets the send lock first. The pool only sends what the socket can take without blocking (see
 * {@link TaskPlacement}), so a send never waits for a busy worker.
 */
final class Outbox {
    /** A message as sent: its size, whether the worker has begun to read it, and whether it left at all. */
    static final class SentMessage {
        final int bytes;
        /** Guarded by the pool's lock. */
        boolean begun;
        /**
         * Whether the message is (being) written to the socket. A worker that dies before it is
         * never saw the message's tasks, so they go to other workers, even the oldest (see
         * WorkerEvents#exited); nor did it see one whose write failed.
         */
        volatile boolean delivered;

        SentMessage(int bytes) {
            this.bytes = bytes;
        }
    }

    /** A message waiting, with its record of delivery (null for one that carries no task). */
    private static final class Outgoing {
        final byte[] bytes;
        final SentMessage sent;

        Outgoing(byte[] bytes, SentMessage sent) {
            this.bytes = bytes;
            this.sent = sent;
        }
    }

    private final MessageChannel connection;
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Set by a send or a read that failed (the worker is gone): the pool kills it and handles its exit. */
    private volatile IOException failure;

    Outbox(MessageChannel connection) {
        this.connection = connection;
    }

    void add(byte[] bytes, SentMessage sent) {
        queue.add(new Outgoing(bytes, sent));
    }

    IOException failure() {
        return failure;
    }

    /** The connection broke: nothing more is sent. */
    void failed(Exception broken) {
        failure = broken instanceof IOException ? (IOException) broken : new IOException(broken);
    }

    /**
     * Writes what is waiting, unless another thread is doing it (which then writes these messages
     * too). Called without the pool's lock.
     */
    void flush() {
        while (!queue.isEmpty()) {
            if (!sendLock.tryLock()) {
                return; // the holder re-checks the queue after it unlocks
            }
            try {
                Outgoing message;
                while ((message = queue.poll()) != null) {
                    if (failure != null) {
                        continue; // the worker is gone: its tasks never reached it
                    }
                    // Marked before the send, so that a worker dying meanwhile counts as having
                    // seen it (its first task then fails, never runs twice); unmarked if it failed.
                    if (message.sent != null) {
                        message.sent.delivered = true;
                    }
                    if (!send(message.bytes) && message.sent != null) {
                        message.sent.delivered = false;
                    }
                }
            } finally {
                sendLock.unlock();
            }
        }
    }

    private boolean send(byte[] message) {
        try {
            connection.sendBytes(message, 0, message.length);
            return true;
        } catch (IOException | IllegalStateException e) {
            // The worker is gone (EPIPE) or its connection closed: its exit is handled by the pool.
            failed(e);
            return false;
        }
    }
}
