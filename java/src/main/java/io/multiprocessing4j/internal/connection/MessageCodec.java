package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.connection.MessageSerializer;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.StreamCorruptedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload of an object message: one tag byte, then the value. Values of a few common types are
 * written directly, without a serializer (an {@code ObjectOutputStream} costs microseconds and
 * hundreds of bytes even for an {@code Integer}); every other value goes to the connection's
 * {@link MessageSerializer} after the tag {@link #SERIALIZED}.
 *
 * <p>Tags are printable ASCII so that a dumped frame can be read. Decoding checks every length
 * exactly: a malformed payload is a {@link StreamCorruptedException}, never a wrong value.
 */
final class MessageCodec {
    static final byte NULL = 'N';
    static final byte TRUE = 'T';
    static final byte FALSE = 'F';
    static final byte BYTE = 'b';
    static final byte SHORT = 'h';
    static final byte CHAR = 'c';
    static final byte INT = 'i';
    static final byte LONG = 'l';
    static final byte FLOAT = 'f';
    static final byte DOUBLE = 'd';
    /** A string whose chars are all below 256: one byte per char. */
    static final byte LATIN1 = 's';
    /** Any other string: two bytes per char, big-endian (exact even for unpaired surrogates). */
    static final byte UTF16 = 'u';
    static final byte BYTES = 'B';
    static final byte INTS = 'I';
    static final byte LONGS = 'L';
    static final byte DOUBLES = 'D';
    static final byte SERIALIZED = 'S';

    /** Larger strings and arrays go to the serializer, which streams them. */
    private static final int DIRECT_LIMIT = 64 << 20;

    private static final VarHandle SHORTS = view(short[].class);
    private static final VarHandle CHARS = view(char[].class);
    private static final VarHandle INTS_VIEW = view(int[].class);
    private static final VarHandle LONGS_VIEW = view(long[].class);
    private static final VarHandle FLOATS_VIEW = view(float[].class);
    private static final VarHandle DOUBLES_VIEW = view(double[].class);

    private MessageCodec() {
    }

    private static VarHandle view(Class<?> arrayType) {
        return MethodHandles.byteArrayViewVarHandle(arrayType, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Encodes {@code value} into {@code out}. Returns the fd transfer of a serialized graph that
     * exported fds (the caller sends them and then releases it), or null.
     */
    static FdTransfer encode(Object value, EncodeBuffer out, MessageSerializer serializer) throws IOException {
        if (encodeDirectly(value, out)) {
            return null;
        }
        out.write(SERIALIZED);
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

    private static boolean encodeDirectly(Object value, EncodeBuffer out) {
        if (value == null) {
            out.write(NULL);
            return true;
        }
        Class<?> type = value.getClass();
        if (type == String.class) {
            return encodeString((String) value, out);
        }
        if (type == Integer.class) {
            byte[] a = out.reserve(5);
            int at = out.position();
            a[at] = INT;
            INTS_VIEW.set(a, at + 1, (int) (Integer) value);
            out.advance(5);
            return true;
        }
        if (type == Long.class) {
            byte[] a = out.reserve(9);
            int at = out.position();
            a[at] = LONG;
            LONGS_VIEW.set(a, at + 1, (long) (Long) value);
            out.advance(9);
            return true;
        }
        if (type == Double.class) {
            byte[] a = out.reserve(9);
            int at = out.position();
            a[at] = DOUBLE;
            DOUBLES_VIEW.set(a, at + 1, (double) (Double) value);
            out.advance(9);
            return true;
        }
        if (type == Boolean.class) {
            out.write((Boolean) value ? TRUE : FALSE);
            return true;
        }
        if (type == byte[].class) {
            byte[] bytes = (byte[]) value;
            if (bytes.length > DIRECT_LIMIT) {
                return false;
            }
            out.write(BYTES);
            out.write(bytes, 0, bytes.length);
            return true;
        }
        if (type == Byte.class) {
            byte[] a = out.reserve(2);
            int at = out.position();
            a[at] = BYTE;
            a[at + 1] = (Byte) value;
            out.advance(2);
            return true;
        }
        if (type == Short.class) {
            byte[] a = out.reserve(3);
            int at = out.position();
            a[at] = SHORT;
            SHORTS.set(a, at + 1, (short) (Short) value);
            out.advance(3);
            return true;
        }
        if (type == Character.class) {
            byte[] a = out.reserve(3);
            int at = out.position();
            a[at] = CHAR;
            CHARS.set(a, at + 1, (char) (Character) value);
            out.advance(3);
            return true;
        }
        if (type == Float.class) {
            byte[] a = out.reserve(5);
            int at = out.position();
            a[at] = FLOAT;
            FLOATS_VIEW.set(a, at + 1, (float) (Float) value);
            out.advance(5);
            return true;
        }
        if (type == int[].class) {
            return encodeInts((int[]) value, out);
        }
        if (type == long[].class) {
            return encodeLongs((long[]) value, out);
        }
        if (type == double[].class) {
            return encodeDoubles((double[]) value, out);
        }
        return false;
    }

    /** Latin-1 in one pass; on the first char above 255, starts over as UTF-16. */
    private static boolean encodeString(String text, EncodeBuffer out) {
        int length = text.length();
        if (length > DIRECT_LIMIT / 2) {
            return false;
        }
        byte[] a = out.reserve(1 + length);
        int at = out.position();
        a[at] = LATIN1;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0xff) {
                return encodeUtf16(text, out);
            }
            a[at + 1 + i] = (byte) c;
        }
        out.advance(1 + length);
        return true;
    }

    private static boolean encodeUtf16(String text, EncodeBuffer out) {
        int length = text.length();
        byte[] a = out.reserve(1 + 2 * length);
        int at = out.position();
        a[at] = UTF16;
        for (int i = 0; i < length; i++) {
            CHARS.set(a, at + 1 + 2 * i, text.charAt(i));
        }
        out.advance(1 + 2 * length);
        return true;
    }

    private static boolean encodeInts(int[] values, EncodeBuffer out) {
        if (values.length > DIRECT_LIMIT / 4) {
            return false;
        }
        byte[] a = out.reserve(1 + 4 * values.length);
        int at = out.position();
        a[at] = INTS;
        for (int i = 0; i < values.length; i++) {
            INTS_VIEW.set(a, at + 1 + 4 * i, values[i]);
        }
        out.advance(1 + 4 * values.length);
        return true;
    }

    private static boolean encodeLongs(long[] values, EncodeBuffer out) {
        if (values.length > DIRECT_LIMIT / 8) {
            return false;
        }
        byte[] a = out.reserve(1 + 8 * values.length);
        int at = out.position();
        a[at] = LONGS;
        for (int i = 0; i < values.length; i++) {
            LONGS_VIEW.set(a, at + 1 + 8 * i, values[i]);
        }
        out.advance(1 + 8 * values.length);
        return true;
    }

    private static boolean encodeDoubles(double[] values, EncodeBuffer out) {
        if (values.length > DIRECT_LIMIT / 8) {
            return false;
        }
        byte[] a = out.reserve(1 + 8 * values.length);
        int at = out.position();
        a[at] = DOUBLES;
        for (int i = 0; i < values.length; i++) {
            // raw bits, so that every NaN payload survives the trip
            LONGS_VIEW.set(a, at + 1 + 8 * i, Double.doubleToRawLongBits(values[i]));
        }
        out.advance(1 + 8 * values.length);
        return true;
    }

    /**
     * Decodes a received payload. The frame's fds are handed to the objects of a serialized graph
     * that claim them; the rest are closed.
     */
    static Object decode(Frame frame, MessageSerializer serializer, ObjectInputFilter filter)
            throws IOException, ClassNotFoundException {
        try {
            if (frame.totalLength() == 0) {
                throw new StreamCorruptedException("an empty message holds no object (it was sent as bytes?)");
            }
            byte tag = frame.firstByte();
            if (tag == SERIALIZED) {
                return deserialize(frame, serializer, filter);
            }
            if (frame.isHuge()) {
                throw malformed(tag, frame.totalLength());
            }
            return decodeDirect(tag, frame.array, frame.offset + 1, frame.length - 1);
        } finally {
            for (int fd : frame.fds) {
                if (fd >= 0) {
                    FileDescriptors.close(fd);
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

    private static Object decodeDirect(byte tag, byte[] a, int at, int length) throws StreamCorruptedException {
        switch (tag) {
            case NULL:
                expect(tag, length, 0);
                return null;
            case TRUE:
                expect(tag, length, 0);
                return Boolean.TRUE;
            case FALSE:
                expect(tag, length, 0);
                return Boolean.FALSE;
            case BYTE:
                expect(tag, length, 1);
                return a[at];
            case SHORT:
                expect(tag, length, 2);
                return (short) SHORTS.get(a, at);
            case CHAR:
                expect(tag, length, 2);
                return (char) CHARS.get(a, at);
            case INT:
                expect(tag, length, 4);
                return (int) INTS_VIEW.get(a, at);
            case LONG:
                expect(tag, length, 8);
                return (long) LONGS_VIEW.get(a, at);
            case FLOAT:
                expect(tag, length, 4);
                return (float) FLOATS_VIEW.get(a, at);
            case DOUBLE:
                expect(tag, length, 8);
                return (double) DOUBLES_VIEW.get(a, at);
            case LATIN1:
                return new String(a, at, length, StandardCharsets.ISO_8859_1);
            case UTF16:
                return decodeUtf16(tag, a, at, length);
            case BYTES:
                return Arrays.copyOfRange(a, at, at + length);
            case INTS:
                return decodeInts(tag, a, at, length);
            case LONGS:
                return decodeLongs(tag, a, at, length);
            case DOUBLES:
                return decodeDoubles(tag, a, at, length);
            default:
                throw new StreamCorruptedException(String.format(
                        "unknown message type 0x%02x: not an object message of multiprocessing4j", tag & 0xff));
        }
    }

    private static String decodeUtf16(byte tag, byte[] a, int at, int length) throws StreamCorruptedException {
        if (length % 2 != 0) {
            throw malformed(tag, length);
        }
        char[] chars = new char[length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) CHARS.get(a, at + 2 * i);
        }
        return new String(chars);
    }

    private static int[] decodeInts(byte tag, byte[] a, int at, int length) throws StreamCorruptedException {
        if (length % 4 != 0) {
            throw malformed(tag, length);
        }
        int[] values = new int[length / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) INTS_VIEW.get(a, at + 4 * i);
        }
        return values;
    }

    private static long[] decodeLongs(byte tag, byte[] a, int at, int length) throws StreamCorruptedException {
        if (length % 8 != 0) {
            throw malformed(tag, length);
        }
        long[] values = new long[length / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) LONGS_VIEW.get(a, at + 8 * i);
        }
        return values;
    }

    private static double[] decodeDoubles(byte tag, byte[] a, int at, int length) throws StreamCorruptedException {
        if (length % 8 != 0) {
            throw malformed(tag, length);
        }
        double[] values = new double[length / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble((long) LONGS_VIEW.get(a, at + 8 * i));
        }
        return values;
    }

    private static void expect(byte tag, int length, int expected) throws StreamCorruptedException {
        if (length != expected) {
            throw malformed(tag, length);
        }
    }

    private static StreamCorruptedException malformed(byte tag, long length) {
        return new StreamCorruptedException("malformed message: type '" + (char) tag + "' with "
                + length + " bytes of value");
    }
}
