package io.multiprocessing4j.internal.transfer;

/**
 * A growable byte array that values are encoded into in place: the encoder asks for room, writes
 * at {@link #position()} into the array it got, then moves the position on. One interface for the
 * connection's frame buffer, the pool's message buffer and a queue's message, so that each value
 * type has one encoding.
 */
public interface ByteSink {
    /** Makes room for {@code count} more bytes at {@link #position()} and returns the array to write them into. */
    byte[] reserve(int count);

    /** Where the next byte goes in the array {@link #reserve} returned. */
    int position();

    /** Moves the position past {@code count} bytes just written. */
    void advance(int count);
}
