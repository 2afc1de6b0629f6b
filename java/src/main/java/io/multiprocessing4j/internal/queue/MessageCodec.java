package io.multiprocessing4j.internal.queue;

import io.multiprocessing4j.internal.transfer.ByteArraySink;
import io.multiprocessing4j.internal.transfer.ByteCursor;
import io.multiprocessing4j.internal.transfer.DirectValues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;

/**
 * How a queue's messages are turned into bytes and back: a direct value ({@link DirectValues}:
 * null, boxed primitives, strings, primitive arrays), or the tag {@link DirectValues#SERIALIZED}
 * and a Java serialization stream of its own. Messages must be independent of each other (any
 * consumer may get any of them), so one long-lived object stream per queue, which would share
 * class descriptions, is not an option; the direct values spare the common ones its cost.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /**
     * The bytes of {@code value}, taken now: later changes to the object do not change them.
     * A value Java serialization refuses is an {@link IllegalArgumentException} naming the cause.
     */
    public static byte[] encode(Object value) {
        ByteArraySink sink = new ByteArraySink();
        if (DirectValues.write(value, sink)) {
            return sink.toByteArray();
        }
        return serialize(value);
    }

    /** The object {@link #encode} made {@code bytes} of (a new one each time). */
    public static Object decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalStateException("a queue message with no bytes");
        }
        if (bytes[0] == DirectValues.SERIALIZED) {
            return deserialize(bytes);
        }
        ByteCursor in = new ByteCursor(bytes, 1, bytes.length - 1);
        try {
            Object value = DirectValues.read(bytes[0], in);
            if (in.hasRemaining()) {
                throw new StreamCorruptedException(in.remaining() + " bytes after the value");
            }
            return value;
        } catch (StreamCorruptedException e) {
            throw new IllegalStateException("a queue message that cannot be decoded: " + e.getMessage(), e);
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
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("a message taken from the queue cannot be deserialized in this process"
                    + " (it is no longer in the queue): " + e, e);
        }
    }
}
