package io.multiprocessing4j.internal.queue;

import io.multiprocessing4j.internal.transfer.DirectValues;
import io.multiprocessing4j.internal.transfer.ExactSizeSink;
import io.multiprocessing4j.internal.transfer.LimitedObjectInput;
import io.multiprocessing4j.internal.transfer.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;

/**
 * How a queue's messages are turned into bytes and back: the direct encoding of a value
 * ({@link DirectValues}: null, booleans, boxed primitives, strings, {@code byte[]} and primitive
 * arrays), or the tag {@link DirectValues#SERIALIZED} followed by the value's Java serialization.
 *
 * <p>Each message is serialized on its own: messages must be independent of each other (any
 * consumer may get any of them), so one long-lived object stream per queue, which would share class
 * descriptions, is not an option. Which is why the direct encodings matter here: a fresh
 * {@link ObjectOutputStream} writes the class's description every time.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /**
     * The bytes of {@code value}, taken now: later changes to the object do not change them.
     * A value Java serialization refuses is an {@link IllegalArgumentException} naming the cause.
     */
    public static byte[] encode(Object value) {
        ExactSizeSink direct = new ExactSizeSink();
        if (DirectValues.write(value, direct)) {
            return direct.toArray();
        }
        return serialize(value);
    }

    /**
     * The object {@link #encode} made {@code bytes} of (a new one each time). Bytes it cannot have
     * made are an {@link IllegalStateException}, as is a value this process cannot deserialize.
     */
    public static Object decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalStateException("a queue message with no bytes");
        }
        if (bytes[0] == DirectValues.SERIALIZED) {
            return deserialize(bytes);
        }
        try {
            return DirectValues.readMessage(bytes, 0, bytes.length);
        } catch (StreamCorruptedException malformed) {
            throw new IllegalStateException("a malformed queue message: " + malformed.getMessage(), malformed);
        }
    }

    private static byte[] serialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(DirectValues.SERIALIZED);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot put a " + value.getClass().getName()
                    + " on a queue: Java serialization refused it: " + e, e);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] bytes) {
        try (LimitedObjectInput in = Serialization.objectInput(bytes, 1, bytes.length - 1)) {
            return in.readLimited();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("a message taken from the queue cannot be deserialized in this process"
                    + " (it is no longer in the queue): " + e, e);
        }
    }
}
