package io.multiprocessing4j.queues;

import io.multiprocessing4j.internal.queue.MessageCodec;
import io.multiprocessing4j.internal.queue.MessageRing;
import io.multiprocessing4j.internal.queue.OutgoingMessage;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * The plain version: Python's {@code multiprocessing.SimpleQueue}, with {@link #put}, {@link #get},
 * {@link #isEmpty} and {@link #close} only. No background thread, no bound, no timeouts: a put
 * writes into the shared buffer in the caller's thread and waits while the buffer is full, as
 * Python's waits while its pipe is.
 *
 * <p>Otherwise as {@link Queue}: exactly-once delivery across any number of processes, order per
 * producer, serialization at the put, robust against processes killed mid-operation.
 *
 * @param <E> the type of the messages
 */
public final class SimpleQueue<E> implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient MessageRing ring;
    private transient volatile boolean closed;

    /** A new, empty queue. */
    public SimpleQueue() {
        this(MessageRing.DEFAULT_CAPACITY);
    }

    /** A new, empty queue whose shared buffer has {@code bufferBytes} bytes (as in {@link Queue#Queue(int, int)}). */
    public SimpleQueue(int bufferBytes) {
        this(MessageRing.create(bufferBytes, 0, "SimpleQueue"));
    }

    SimpleQueue(MessageRing ring) {
        this.ring = ring;
    }

    /**
     * Puts {@code item}, waiting while the shared buffer has no room for it.
     *
     * @throws IllegalArgumentException if {@code item} cannot be serialized
     */
    public void put(E item) throws InterruptedException {
        checkOpen();
        Queue.checkInterrupt();
        OutgoingMessage message = OutgoingMessage.of(item);
        ring.checkDeliverable(message);
        boolean put = false;
        try {
            put = ring.put(message, -1, true);
        } finally {
            if (!put) {
                message.abandon();
            }
        }
    }

    /** Takes the oldest message, waiting for one as long as it takes. */
    @SuppressWarnings("unchecked")
    public E get() throws InterruptedException {
        checkOpen();
        Queue.checkInterrupt();
        return (E) MessageCodec.decode(ring.take(-1, true));
    }

    /** Python's {@code empty()}: whether the queue held no message at some recent instant. */
    public boolean isEmpty() {
        checkOpen();
        return ring.isEmpty();
    }

    /** Ends this process's use of the queue; other processes go on. Idempotent. */
    @Override
    public void close() {
        closed = true;
        ring.segment().close();
        ring.releaseLocalWaiters();
    }

    @Override
    public String toString() {
        return closed ? "SimpleQueue[closed]" : "SimpleQueue[" + (ring.isEmpty() ? "empty" : "not empty") + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("SimpleQueue is closed");
        }
    }

    private Object writeReplace() throws ObjectStreamException {
        if (closed) {
            throw new NotSerializableException("SimpleQueue is closed");
        }
        return new SerializedQueue(ring.segment(), SerializedQueue.SIMPLE);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a SimpleQueue travels as a reference to its shared memory");
    }
}
