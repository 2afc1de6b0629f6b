package io.multiprocessing4j.internal.transfer;

import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The direct encodings of the values that connections, queues and pools carry most: a tag byte,
 * then the value. Null, booleans, boxed primitives, strings, {@code byte[]}, {@code int[]},
 * {@code long[]} and {@code double[]} are written here; every other value takes its user's
 * serializer. Why: an {@code ObjectOutputStream} costs microseconds and hundreds of bytes even for
 * an {@code Integer}, and the first {@code ObjectInputStream} of a JVM about 25 ms, which a child
 * that only ever receives numbers or text should never pay.
 *
 * <p>One form for all users: big-endian numbers; strings and arrays prefixed with their length in
 * elements, so that a value reads the same alone in a message and among others in a pool block.
 * Exact classes only (a subclass, were there one, would lose its type). Tags are printable ASCII so
 * that a dumped message can be read. Reading checks every length against what is left: malformed
 * bytes are a {@link StreamCorruptedException}, never a wrong value or an absurd allocation.
 */
public final class DirectValues {
    public static final byte NULL = 'N';
    public static final byte TRUE = 'T';
    public static final byte FALSE = 'F';
    public static final byte BYTE = 'b';
    public static final byte SHORT = 'h';
    public static final byte CHAR = 'c';
    public static final byte INT = 'i';
    public static final byte LONG = 'l';
    public static final byte FLOAT = 'f';
    public static final byte DOUBLE = 'd';
    /** A string whose chars are all below 256: one byte per char. */
    public static final byte LATIN1 = 's';
    /** Any other string: two bytes per char (exact even for unpaired surrogates, which UTF-8 cannot carry). */
    public static final byte UTF16 = 'u';
    public static final byte BYTES = 'B';
    public static final byte INTS = 'I';
    public static final byte LONGS = 'L';
    public static final byte DOUBLES = 'D';

    // Tags of the same space that read() leaves to its users, so that no direct value takes them.
    /** The value is not here but in its user's serialized form (the rest of a message, a pool block's section). */
    public static final byte SERIALIZED = 'S';
    /** A pool block's {@code ArrayList}: its size, then its elements, each a value of the block. */
    public static final byte LIST = 'A';
    /** An {@code Object[]} among a cluster chunk's values: its length, then its elements, as a LIST's. */
    public static final byte OBJECTS = 'O';

    /**
     * The most bytes a string or an array is written directly in; larger ones go to the serializer,
     * which streams them (and the length of a direct value can never overflow an int).
     */
    public static final int DIRECT_LIMIT = 64 << 20;

    private DirectValues() {
    }

    /**
     * Writes {@code value} to {@code out} if it has a direct encoding; returns false otherwise,
     * having written nothing.
     */
    public static boolean write(Object value, ByteSink out) {
        if (value == null) {
            return putTag(NULL, out);
        }
        Class<?> type = value.getClass();
        if (type == String.class) {
            return writeString((String) value, out);
        }
        if (type == Integer.class) {
            byte[] a = out.reserve(5);
            int at = out.position();
            a[at] = INT;
            BigEndian.INTS.set(a, at + 1, (int) (Integer) value);
            out.advance(5);
            return true;
        }
        if (type == Long.class) {
            return putLong(LONG, (Long) value, out);
        }
        if (type == Double.class) {
            // raw bits, so that every NaN payload survives the trip
            return putLong(DOUBLE, Double.doubleToRawLongBits((Double) value), out);
        }
        if (type == Boolean.class) {
            return putTag((Boolean) value ? TRUE : FALSE, out);
        }
        if (type == byte[].class) {
            return writeBytes((byte[]) value, out);
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
            BigEndian.SHORTS.set(a, at + 1, (short) (Short) value);
            out.advance(3);
            return true;
        }
        if (type == Character.class) {
            byte[] a = out.reserve(3);
            int at = out.position();
            a[at] = CHAR;
            BigEndian.CHARS.set(a, at + 1, (char) (Character) value);
            out.advance(3);
            return true;
        }
        if (type == Float.class) {
            byte[] a = out.reserve(5);
            int at = out.position();
            a[at] = FLOAT;
            BigEndian.INTS.set(a, at + 1, Float.floatToRawIntBits((Float) value));
            out.advance(5);
            return true;
        }
        if (type == int[].class) {
            return writeInts((int[]) value, out);
        }
        if (type == long[].class) {
            return writeLongs((long[]) value, out);
        }
        if (type == double[].class) {
            return writeDoubles((double[]) value, out);
        }
        return false;
    }

    private static boolean putTag(byte tag, ByteSink out) {
        out.reserve(1)[out.position()] = tag;
        out.advance(1);
        return true;
    }

    private static boolean putLong(byte tag, long value, ByteSink out) {
        byte[] a = out.reserve(9);
        int at = out.position();
        a[at] = tag;
        BigEndian.LONGS.set(a, at + 1, value);
        out.advance(9);
        return true;
    }

    /** Reserves a tag and a length of {@code length} elements of {@code elementSize} bytes; returns the array. */
    private static byte[] header(byte tag, int length, int elementSize, ByteSink out) {
        byte[] a = out.reserve(5 + length * elementSize);
        int at = out.position();
        a[at] = tag;
        BigEndian.INTS.set(a, at + 1, length);
        return a;
    }

    /** Latin-1 in one pass; at the first char above 255, starts over as UTF-16. */
    private static boolean writeString(String text, ByteSink out) {
        int length = text.length();
        if (length > DIRECT_LIMIT / 2) {
            return false;
        }
        byte[] a = header(LATIN1, length, 1, out);
        int at = out.position() + 5;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0xff) {
                return writeUtf16(text, out);
            }
            a[at + i] = (byte) c;
        }
        out.advance(5 + length);
        return true;
    }

    private static boolean writeUtf16(String text, ByteSink out) {
        int length = text.length();
        byte[] a = header(UTF16, length, 2, out);
        int at = out.position() + 5;
        for (int i = 0; i < length; i++) {
            BigEndian.CHARS.set(a, at + 2 * i, text.charAt(i));
        }
        out.advance(5 + 2 * length);
        return true;
    }

    private static boolean writeBytes(byte[] values, ByteSink out) {
        if (values.length > DIRECT_LIMIT) {
            return false;
        }
        byte[] a = header(BYTES, values.length, 1, out);
        System.arraycopy(values, 0, a, out.position() + 5, values.length);
        out.advance(5 + values.length);
        return true;
    }

    private static boolean writeInts(int[] values, ByteSink out) {
        if (values.length > DIRECT_LIMIT / 4) {
            return false;
        }
        byte[] a = header(INTS, values.length, 4, out);
        int at = out.position() + 5;
        for (int i = 0; i < values.length; i++) {
            BigEndian.INTS.set(a, at + 4 * i, values[i]);
        }
        out.advance(5 + 4 * values.length);
        return true;
    }

    private static boolean writeLongs(long[] values, ByteSink out) {
        if (values.length > DIRECT_LIMIT / 8) {
            return false;
        }
        byte[] a = header(LONGS, values.length, 8, out);
        int at = out.position() + 5;
        for (int i = 0; i < values.length; i++) {
            BigEndian.LONGS.set(a, at + 8 * i, values[i]);
        }
        out.advance(5 + 8 * values.length);
        return true;
    }

    private static boolean writeDoubles(double[] values, ByteSink out) {
        if (values.length > DIRECT_LIMIT / 8) {
            return false;
        }
        byte[] a = header(DOUBLES, values.length, 8, out);
        int at = out.position() + 5;
        for (int i = 0; i < values.length; i++) {
            BigEndian.LONGS.set(a, at + 8 * i, Double.doubleToRawLongBits(values[i]));
        }
        out.advance(5 + 8 * values.length);
        return true;
    }

    /**
     * Decodes a message that is one direct value and nothing else (its tag is not
     * {@link #SERIALIZED}: the caller deserializes those): bytes left over make it malformed.
     */
    public static Object readMessage(byte[] array, int offset, int length) throws StreamCorruptedException {
        ByteCursor in = new ByteCursor(array, offset, length);
        Object value = read(in.getByte(), in);
        if (in.hasRemaining()) {
            throw new StreamCorruptedException("malformed message: " + in.remaining() + " bytes after its value");
        }
        return value;
    }

    /** Reads the value of a direct {@code tag} (already read) from {@code in}. */
    public static Object read(byte tag, ByteCursor in) throws StreamCorruptedException {
        byte[] a = in.array();
        switch (tag) {
            case NULL:
                return null;
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case BYTE:
                return in.getByte();
            case SHORT:
                return (short) BigEndian.SHORTS.get(a, in.skip(2));
            case CHAR:
                return (char) BigEndian.CHARS.get(a, in.skip(2));
            case INT:
                return in.getInt();
            case LONG:
                return in.getLong();
            case FLOAT:
                return Float.intBitsToFloat(in.getInt());
            case DOUBLE:
                return Double.longBitsToDouble(in.getLong());
            case LATIN1: {
                int length = in.getLength(1);
                return new String(a, in.skip(length), length, StandardCharsets.ISO_8859_1);
            }
            case UTF16:
                return readUtf16(in);
            case BYTES: {
                int length = in.getLength(1);
                int at = in.skip(length);
                return Arrays.copyOfRange(a, at, at + length);
            }
            case INTS:
                return readInts(in);
            case LONGS:
                return readLongs(in);
            case DOUBLES:
                return readDoubles(in);
            default:
                throw new StreamCorruptedException(String.format(
                        "unknown message type 0x%02x: not a value multiprocessing4j wrote", tag & 0xff));
        }
    }

    private static String readUtf16(ByteCursor in) throws StreamCorruptedException {
        int length = in.getLength(2);
        int at = in.skip(2 * length);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) BigEndian.CHARS.get(in.array(), at + 2 * i);
        }
        return new String(chars);
    }

    private static int[] readInts(ByteCursor in) throws StreamCorruptedException {
        int length = in.getLength(4);
        int at = in.skip(4 * length);
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = (int) BigEndian.INTS.get(in.array(), at + 4 * i);
        }
        return values;
    }

    private static long[] readLongs(ByteCursor in) throws StreamCorruptedException {
        int length = in.getLength(8);
        int at = in.skip(8 * length);
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = (long) BigEndian.LONGS.get(in.array(), at + 8 * i);
        }
        return values;
    }

    private static double[] readDoubles(ByteCursor in) throws StreamCorruptedException {
        int length = in.getLength(8);
        int at = in.skip(8 * length);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = Double.longBitsToDouble((long) BigEndian.LONGS.get(in.array(), at + 8 * i));
        }
        return values;
    }
}
