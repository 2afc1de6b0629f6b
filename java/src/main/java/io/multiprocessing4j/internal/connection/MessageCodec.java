package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.serialization.MessageSerializer;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.transfer.DeserializationRules;
import io.multiprocessing4j.internal.transfer.DirectValues;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * The payload of an object message: a value in its direct encoding ({@link DirectValues}), or the
 * tag {@link DirectValues#SERIALIZED} followed by what the connection's {@link MessageSerializer}
 * wrote, which runs to the end of the message. A direct value must fill the payload exactly.
 */
final class MessageCodec {
    private MessageCodec() {
    }

    /**
     * Encodes {@code value} into {@code out}. Returns the fd transfer of a serialized graph that
     * exported fds (the caller sends them and then releases it), or null.
     */
    static FdTransfer encode(Object value, EncodeBuffer out, MessageSerializer serializer) throws IOException {
        if (DirectValues.write(value, out)) {
            return null;
        }
        out.write(DirectValues.SERIALIZED);
        FdTransfer transfer = FdTransfer.forWriting().activate();
        boolean done = false;
        try {
            serializer.write(value, out);
            done = true;
        } finally {
            transfer.deactivate();
            if (!done) {
                transfer.releaseExported();
            }
        }
        if (transfer.exportedFds().length == 0) {
            return null;
        }
        return transfer;
    }

    /**
     * Decodes a received payload. The frame's fds are handed to the objects of a serialized graph
     * that claim them; the rest are closed.
     */
    static Object decode(Frame frame, MessageSerializer serializer, ObjectInputFilter filter,
                         DeserializationRules rules) throws IOException, ClassNotFoundException {
        try {
            if (frame.totalLength() == 0) {
                throw new StreamCorruptedException("an empty message holds no object (it was sent as bytes?)");
            }
            byte tag = frame.firstByte();
            if (tag == DirectValues.SERIALIZED) {
                return deserialize(frame, serializer, rules.filter(frame.totalLength() - 1, filter));
            }
            if (frame.isHuge()) {
                // a direct value is at most DIRECT_LIMIT bytes: only a serialized one can be this large
                throw new StreamCorruptedException("malformed message: type '" + (char) tag + "' with "
                        + frame.totalLength() + " bytes");
            }
            return DirectValues.readMessage(frame.array, frame.offset, frame.length);
        } finally {
            for (int fd : frame.fds) {
                if (fd >= 0) {
                    FileDescriptors.closeQuietly(fd);
                }
            }
        }
    }

    private static Object deserialize(Frame frame, MessageSerializer serializer, ObjectInputFilter filter)
            throws IOException, ClassNotFoundException {
        int[] fds = frame.fds.clone();
        FdTransfer transfer = FdTransfer.forReading(fds).activate();
        Arrays.fill(frame.fds, -1); // ownership moved to the transfer
        try (InputStream in = frame.stream(1)) {
            return serializer.read(in, filter);
        } catch (EOFException cutShort) {
            // to the caller, EOFException means that the peer closed; this is a malformed message
            StreamCorruptedException malformed = new StreamCorruptedException(
                    "the serialized message ends before its object does");
            malformed.initCause(cutShort);
            throw malformed;
        } finally {
            transfer.deactivate();
            transfer.closeUnclaimed();
        }
    }
}
