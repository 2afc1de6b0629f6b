package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.transfer.ByteCursor;
import io.multiprocessing4j.internal.transfer.DirectValues;
import io.multiprocessing4j.internal.transfer.ExactSizeSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamException;
import java.io.StreamCorruptedException;

/**
 * How requests and responses travel between a proxy and the server: one byte message each, with
 * the fixed fields in binary and every argument or result that has a direct encoding (null, boxed
 * primitives, strings, primitive arrays: see {@link DirectValues}) written directly; only the
 * others go through Java serialization, one stream for them all. Why: a fresh
 * {@code ObjectOutputStream} for a {@code Request} record costs tens of microseconds on each side,
 * most of a call's round trip, for what is mostly an id, an operation name and an {@code Integer}.
 *
 * <p>Failures keep the meaning they had with {@code Connection.send}/{@code recv}: a value that
 * cannot be serialized is an {@link ObjectStreamException} before anything is sent; a message
 * whose objects cannot be read here is an {@link ObjectStreamException} after it was consumed
 * (the connection is still in step); malformed bytes are a {@link StreamCorruptedException}, which
 * is an {@code ObjectStreamException} too, so a hostile peer gets an error answer, never a crash.
 * The connection's {@link ObjectInputFilter} applies to what is deserialized.
 */
final class ManagerWire {
    private static final byte REQUEST = 'Q';
    private static final byte RESULT = 'R';
    private static final byte FAILURE = 'X';
    private static final byte CANCEL = 'C';
    /** Tag of a value deserialized from the message's trailing serialized section, by its index there. */
    private static final byte SERIALIZED_REF = DirectValues.SERIALIZED;
    private static final int MAX_ARGS = 1 << 16;

    private ManagerWire() {
    }

    /**
     * What a client sends, unanswered, when its thread is interrupted while its request waits in
     * the server: the wait ends with "not yet" if it still waits; if it was answered already, the
     * server drops the cancel.
     */
    enum Cancel {
        REQUEST
    }

    static void sendCancel(Connection connection) throws IOException {
        connection.sendBytes(new byte[] {CANCEL});
    }

    static void send(Connection connection, Request request) throws IOException {
        Encoder out = new Encoder();
        out.tag(REQUEST);
        out.value(request.objectId());
        out.value(request.thread());
        out.value(request.operation());
        out.value(request.acquires());
        out.value(request.releases());
        Object[] args = request.args() == null ? new Object[0] : request.args();
        out.value(args.length);
        for (Object arg : args) {
            out.value(arg);
        }
        connection.sendBytes(out.finish());
    }

    static void send(Connection connection, Response response) throws IOException {
        Encoder out = new Encoder();
        if (response.failure() != null) {
            out.tag(FAILURE);
            out.serialized(response.failure());
        } else {
            out.tag(RESULT);
            out.value(response.result());
        }
        connection.sendBytes(out.finish());
    }

    /** The next message: a {@link Request}, a {@link Response} or a {@link Cancel}. */
    static Object recv(Connection connection) throws IOException {
        byte[] message = connection.recvBytes();
        Decoder in = new Decoder(message, connection.objectInputFilter());
        byte kind = in.cursor.getByte();
        switch (kind) {
            case REQUEST: {
                long objectId = in.typed(Long.class);
                long thread = in.typed(Long.class);
                String operation = in.typed(String.class);
                long[] acquires = in.typedOrNull(long[].class);
                long[] releases = in.typedOrNull(long[].class);
                int count = in.typed(Integer.class);
                if (count < 0 || count > MAX_ARGS) {
                    throw new StreamCorruptedException("a request with " + count + " arguments");
                }
                Object[] args = new Object[count];
                for (int i = 0; i < count; i++) {
                    args[i] = in.value();
                }
                in.finish();
                return new Request(objectId, operation, args, acquires, releases, thread);
            }
            case RESULT: {
                Object result = in.value();
                in.finish();
                return Response.of(result);
            }
            case CANCEL:
                in.finish();
                return Cancel.REQUEST;
            case FAILURE: {
                Object failure = in.value();
                in.finish();
                if (!(failure instanceof Throwable)) {
                    throw new StreamCorruptedException("a failure that is not an exception: " + failure);
                }
                return Response.failed((Throwable) failure);
            }
            default:
                throw new StreamCorruptedException(String.format("not a manager's message (0x%02x)", kind & 0xff));
        }
    }

    /** Direct values in one array; the others in one serialized section after them, referred to by index. */
    private static final class Encoder {
        private final ExactSizeSink direct = new ExactSizeSink();
        private ByteArrayOutputStream serializedBytes;
        private ObjectOutputStream serialized;
        private int serializedCount;

        void tag(byte tag) {
            byte[] a = direct.reserve(1);
            a[direct.position()] = tag;
            direct.advance(1);
        }

        void value(Object value) throws IOException {
            if (!DirectValues.write(value, direct)) {
                serialized(value);
            }
        }

        void serialized(Object value) throws IOException {
            if (serialized == null) {
                serializedBytes = new ByteArrayOutputStream(256);
                serialized = new ObjectOutputStream(serializedBytes);
            }
            serialized.writeObject(value); // NotSerializableException before anything is sent
            tag(SERIALIZED_REF);
            value(serializedCount++);
        }

        byte[] finish() throws IOException {
            if (serialized == null) {
                return direct.toArray();
            }
            serialized.close();
            byte[] head = direct.toArray();
            byte[] tail = serializedBytes.toByteArray();
            byte[] all = new byte[4 + head.length + tail.length];
            // the serialized section follows the direct part, whose length comes first
            io.multiprocessing4j.internal.transfer.BigEndian.INTS.set(all, 0, head.length);
            System.arraycopy(head, 0, all, 4, head.length);
            System.arraycopy(tail, 0, all, 4 + head.length, tail.length);
            all[0] |= (byte) 0x80; // marks a message with a serialized section (a direct part is never 2 GiB)
            return all;
        }
    }

    private static final class Decoder {
        final ByteCursor cursor;
        private final byte[] message;
        private final int serializedAt;
        private final ObjectInputFilter filter;
        private ObjectInputStream serialized;
        private int serializedRead;

        Decoder(byte[] message, ObjectInputFilter filter) throws StreamCorruptedException {
            this.message = message;
            this.filter = filter;
            if (message.length > 0 && (message[0] & 0x80) != 0) {
                if (message.length < 4) {
                    throw new StreamCorruptedException("a manager's message of " + message.length + " bytes");
                }
                int headLength = (int) io.multiprocessing4j.internal.transfer.BigEndian.INTS.get(message, 0) & 0x7fffffff;
                if (headLength > message.length - 4) {
                    throw new StreamCorruptedException("a manager's message whose direct part exceeds it");
                }
                cursor = new ByteCursor(message, 4, headLength);
                serializedAt = 4 + headLength;
            } else {
                cursor = new ByteCursor(message, 0, message.length);
                serializedAt = -1;
            }
        }

        Object value() throws IOException {
            byte tag = cursor.getByte();
            if (tag != SERIALIZED_REF) {
                return DirectValues.read(tag, cursor);
            }
            Object index = DirectValues.read(cursor.getByte(), cursor);
            if (!(index instanceof Integer) || (Integer) index != serializedRead || serializedAt < 0) {
                throw new StreamCorruptedException("a serialized value out of order in a manager's message");
            }
            serializedRead++;
            if (serialized == null) {
                serialized = new ObjectInputStream(new ByteArrayInputStream(message, serializedAt, message.length - serializedAt));
                if (filter != null) {
                    serialized.setObjectInputFilter(filter);
                }
            }
            try {
                return serialized.readObject();
            } catch (ClassNotFoundException e) {
                InvalidClassException unreadable = new InvalidClassException("a class this process lacks: " + e.getMessage());
                unreadable.initCause(e);
                throw unreadable;
            } catch (ObjectStreamException e) {
                throw e;
            } catch (RuntimeException e) {
                InvalidObjectException unreadable = new InvalidObjectException("unreadable value: " + e);
                unreadable.initCause(e);
                throw unreadable;
            }
        }

        <T> T typed(Class<T> type) throws IOException {
            Object value = value();
            if (!type.isInstance(value)) {
                throw new StreamCorruptedException("a manager's message with " + value + " where a " + type.getSimpleName()
                        + " belongs");
            }
            return type.cast(value);
        }

        <T> T typedOrNull(Class<T> type) throws IOException {
            Object value = value();
            if (value != null && !type.isInstance(value)) {
                throw new StreamCorruptedException("a manager's message with " + value + " where a " + type.getSimpleName()
                        + " belongs");
            }
            return type.cast(value);
        }

        void finish() throws StreamCorruptedException {
            if (cursor.hasRemaining()) {
                throw new StreamCorruptedException("a manager's message with " + cursor.remaining() + " bytes too many");
            }
        }
    }
}
