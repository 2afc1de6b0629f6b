package io.multiprocessing4j.errors;

import java.io.IOException;

/**
 * {@link io.multiprocessing4j.connection.Connection#recvBytesInto} found a message longer than the room left in the buffer
 * (Python's {@code BufferTooShort}). The message was consumed; it is here, whole.
 */
public class BufferTooShortException extends IOException {
    private static final long serialVersionUID = 1L;

    private final byte[] message;

    /** The whole {@code message}, which did not fit in the {@code room} bytes the buffer had left. */
    public BufferTooShortException(byte[] message, int room) {
        super("a message of " + message.length + " bytes does not fit in the " + room
                + " bytes left in the buffer; it is kept in this exception");
        this.message = message;
    }

    /** The message that did not fit (the array itself, not a copy). */
    public byte[] message() {
        return message;
    }
}
