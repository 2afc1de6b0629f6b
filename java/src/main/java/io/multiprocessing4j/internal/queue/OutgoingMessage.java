package io.multiprocessing4j.internal.queue;

import io.multiprocessing4j.internal.shm.HandoffSegment;

/**
 * A message on its way into a ring: its encoded bytes ({@link MessageCodec}), and, for one too
 * large to travel inside the ring, the handoff segment holding those bytes once one was made.
 * The segment is made only when /dev/shm has room to spare (see {@link HandoffSegment#roomFor}), and
 * kept across attempts so that a put that waits does not write the bytes again.
 */
public final class OutgoingMessage {
    final byte[] encoded;
    String spilledTo;

    public OutgoingMessage(byte[] encoded) {
        this.encoded = encoded;
    }

    /** Encodes {@code value} now, in the calling thread. */
    public static OutgoingMessage of(Object value) {
        return new OutgoingMessage(MessageCodec.encode(value));
    }

    /** Gives up a message that will not be published: its handoff segment, if any, goes. */
    public void abandon() {
        String name = spilledTo;
        if (name != null) {
            spilledTo = null;
            HandoffSegment.discard(name);
        }
    }
}
