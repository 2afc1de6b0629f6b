package io.multiprocessing4j.queues;

import io.multiprocessing4j.internal.queue.MessageRing;
import io.multiprocessing4j.internal.shm.Segment;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What a queue becomes on its way to a child: its shared memory (which travels as a file
 * descriptor, see {@link Segment}) and which kind of queue it is. On arrival it is attached again.
 * A queue can therefore travel only where fds do: captured by a child's target. Put on a queue,
 * it fails at the put, as Python's do ("Queue objects should only be shared between processes
 * through inheritance").
 */
final class SerializedQueue implements Serializable {
    private static final long serialVersionUID = 1L;

    static final byte QUEUE = 1;
    static final byte JOINABLE = 2;
    static final byte SIMPLE = 3;

    private final Segment segment;
    private final byte kind;

    SerializedQueue(Segment segment, byte kind) {
        this.segment = segment;
        this.kind = kind;
    }

    private Object readResolve() throws ObjectStreamException {
        MessageRing ring = MessageRing.attach(segment);
        switch (kind) {
            case QUEUE:
                return new Queue<>(ring);
            case JOINABLE:
                return new JoinableQueue<>(ring);
            case SIMPLE:
                return new SimpleQueue<>(ring);
            default:
                throw new InvalidObjectException("unknown kind of queue: " + kind);
        }
    }
}
