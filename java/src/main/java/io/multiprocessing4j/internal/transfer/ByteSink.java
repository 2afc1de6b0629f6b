package io.multiprocessing4j.internal.transfer;

/**
 * Where {@link DirectValues} writes: a byte array that it fills in place, so that a value costs no
 * intermediate copy. A writer reserves room for a whole value, stores it into the returned array
 * from {@link #position()}, then advances past it.
 */
public interface ByteSink {
    /**
     * Makes room for {@code count} more bytes in one array and returns that array; write them at
     * {@link #position()}. Reserving again before advancing (to start a value over in a larger
     * form) is allowed.
     */
    byte[] reserve(int count);

    /** Where the next byte goes in the array {@link #reserve} returned. */
    int position();

    /** Marks {@code count} bytes from {@link #position()} as written. */
    void advance(int count);
}
