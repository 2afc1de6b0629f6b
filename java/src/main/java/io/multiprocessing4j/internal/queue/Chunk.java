package io.multiprocessing4j.internal.queue;

import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.HandoffSegment;
import io.multiprocessing4j.internal.shm.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One overflow chunk of a growing {@link MessageRing}: a named shared memory segment that records are
 * appended to, front to back, once and only once, and that its last consumer unlinks. Producers write
 * and commit records as in the ring ({@link #TAIL} is the commit), under the ring's producers' lock;
 * consumers read them under the ring's consumers' lock. A chunk ends with a link record (to the next
 * chunk, or back to the ring); {@link #LINK_AT} says where that link was written, so that whoever
 * takes the producers' lock over from a process killed while linking can finish the move.
 *
 * <p>Each process maps the chunks it is using, one for putting and one for taking at a time, and
 * releases a mapping at once when it moves on ({@link Segment#release()}): a consumed chunk's
 * memory is back in /dev/shm as soon as no process maps it.
 */
final class Chunk {
    static final int TAIL = 0;
    static final int LINK_AT = 8;
    static final int DATA = 64;

    final long number;
    final String name;
    final Segment segment;
    final ByteBuffer buffer;

    private Chunk(long number, String name, Segment segment) {
        this.number = number;
        this.name = name;
        this.segment = segment;
        this.buffer = segment.buffer();
    }

    /** A new, empty chunk (its commit at {@link #DATA}). */
    static Chunk create(long number, String name, int size) throws IOException {
        Segment segment = Segment.createTransient(name, size, "Queue's overflow chunk");
        LONG.setVolatile(segment.buffer(), TAIL, (long) DATA);
        return new Chunk(number, name, segment);
    }

    static Chunk open(long number, String name, int size) throws IOException {
        return new Chunk(number, name, Segment.openTransient(name, size, "Queue's overflow chunk"));
    }

    int size() {
        return segment.size();
    }

    long tail() {
        return (long) LONG.getVolatile(buffer, TAIL);
    }

    /** This process's mapping goes now. */
    void release() {
        segment.release();
    }

    /** The name goes (the memory with the last mapping); for the consumer that has passed its end. */
    void unlink() {
        HandoffSegment.discard(name);
    }
}
