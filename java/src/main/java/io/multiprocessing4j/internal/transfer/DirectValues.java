package io.multiprocessing4j.internal.transfer;

import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The values every message of ours encodes without a serializer: null, boxed primitives, strings,
 * {@code byte[]}, {@code int[]}, {@code long[]} and {@code double[]}. An {@code ObjectOutputStream}
 * costs microseconds and dozens of bytes even for an {@code Integer}, and the first
 * {@code ObjectInputStream} of a JVM about 25 ms, which a child that only ever receives numbers or
 * text should never pay. Connections, queues and the pool all use this one encoding; each adds its
 * own way of carrying the other values after the tag {@link #SERIALIZED}.
 *
 * <p>A value is a tag byte, then its bytes, big-endian: fixed sizes for scalars, and an element
 * count before the elements of a string or an array. Exact classes only (a subclass, were there
 * one, would lose its type). Tags are printable ASCII so that a dumped message can be read.
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
    /** Any other string: its UTF-16 chars, exact even for a lone surrogate (which UTF-8 cannot carry). */
    public static final byte UTF16 = 'u';
    public static final byte BYTES = 'B';
    public static final byte INTS = 'I';
    public static final byte LONGS = 'L';
    public static final byte DOUBLES = 'D';
    /** Not a direct value: what follows is up to the message's own format (a serializer's bytes, say). */
    public static final byte SERIALIZED = 'S';

    /**
     * Strings and arrays whose bytes exceed this go to the serializer instead, which streams them:
     * a direct value must fit in one array with its message.
     */
    public static final int DIRECT_LIMIT = 64 << 20;

    private DirectValues() {
    }

    /** Writes {@code value} if it is of a directly encoded class and not too large; false (nothing written) otherwise. */
    public static boolean write(Object value, ByteSink out) {
        if (value == null) {
            put(out, NULL, 0);
            return true;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            ByteViews.INTS.set(put(out, INT, 4), out.position() + 1, (int) (Integer) value);
            out.advance(5);
            return true;
        }
        if (type == Long.class) {
            ByteViews.LONGS.set(put(out, LONG, 8), out.position() + 1, (long) (Long) value);
            out.advance(9);
            return true;
        }
        if (type == String.class) {
            return writeString((String) value, out);
        }
        if (type == Double.class) {
            // raw bits, as for double[]: a NaN keeps its payload
            ByteViews.LONGS.set(put(out, DOUBLE, 8), out.position() + 1, Double.doubleToRawLongBits((Double) value));
            out.advance(9);
            return true;
        }
        if (type == Boolean.class) {
            put(out, (Boolean) value ? TRUE : FALSE, 0);
            return true;
        }
        if (type == Float.class) {
            ByteViews.INTS.set(put(out, FLOAT, 4), out.position() + 1, Float.floatToRawIntBits((Float) value));
            out.advance(5);
            return true;
        }
        if (type == Short.class) {
            ByteViews.SHORTS.set(put(out, SHORT, 2), out.position() + 1, (short) (Short) value);
            out.advance(3);
            return true;
        }
        if (type == Character.class) {
            ByteViews.CHARS.set(put(out, CHAR, 2), out.position() + 1, (char) (Character) value);
            out.advance(3);
            return true;
        }
        if (type == Byte.class) {
            put(out, BYTE, 1)[out.position() + 1] = (Byte) value;
            out.advance(2);
            return true;
        }
        if (type == byte[].class) {
            return writeBytes((byte[]) value, out);
        }
        if (type == int[].class) {
            return writeInts((int[]) value, out);
        }
        if (type == long[].class) {
            return writeLongs((long[]) value, LONGS, out);
        }
        if (type == double[].class) {
            double[] doubles = (double[]) value;
            if (doubles.length > DIRECT_LIMIT / 8) {
                return false;
            }
            long[] bits = new long[doubles.length];
            for (int i = 0; i < doubles.length; i++) {
                bits[i] = Double.doubleToRawLongBits(doubles[i]); // every NaN payload survives
            }
            return writeLongs(bits, DOUBLES, out);
        }
        return false;
    }

    /**
     * Reserves a tag and {@code size} bytes, writes the tag, and returns the array; the value goes
     * at {@code out.position() + 1}, after which the caller advances by {@code 1 + size}. A
     * zero-size value is complete at once (advanced here).
     */
    private static byte[] put(ByteSink out, byte tag, int size) {
        byte[] a = out.reserve(1 + size);
        a[out.position()] = tag;
        if (size == 0) {
            out.advance(1);
        }
        return a;
    }

    /**
     * Reserves a tag, an element count and {@code size} bytes, writes the tag and the count, and
     * returns the array; the elements go at {@code out.position() + 5}.
     */
    private static byte[] putCounted(ByteSink out, byte tag, int count, int size) {
        byte[] a = out.reserve(5 + size);
        a[out.position()] = tag;
        ByteViews.INTS.set(a, out.position() + 1, count);
        return a;
    }

    /** Latin-1 in one pass; at the first char above 255, starts over as UTF-16. */
    private static boolean writeString(String text, ByteSink out) {
        int length = text.length();
        if (length > DIRECT_LIMIT / 2) {
            return false;
        }
        byte[] a = putCounted(out, LATIN1, length, length);
        int at = out.position() + 5;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0xff) {
                writeUtf16(text, out);
                return true;
            }
            a[at + i] = (byte) c;
        }
        out.advance(5 + length);
        return true;
    }

    private static void writeUtf16(String text, ByteSink out) {
        int length = text.length();
        byte[] a = putCounted(out, UTF16, length, 2 * length);
        int at = out.position() + 5;
        for (int i = 0; i < length; i++) {
            ByteViews.CHARS.set(a, at + 2 * i, text.charAt(i));
        }
        out.advance(5 + 2 * length);
    }

    private static boolean writeBytes(byte[] bytes, ByteSink out) {
        if (bytes.length > DIRECT_LIMIT) {
            return false;
        }
        byte[] a = putCounted(out, BYTES, bytes.length, bytes.length);
        System.arraycopy(bytes, 0, a, out.position() + 5, bytes.length);
        out.advance(5 + bytes.length);
        return true;
    }

    private static boolean writeInts(int[] ints, ByteSink out) {
        if (ints.length > DIRECT_LIMIT / 4) {
            return false;
        }
        byte[] a = putCounted(out, INTS, ints.length, 4 * ints.length);
        int at = out.position() + 5;
        for (int i = 0; i < ints.length; i++) {
            ByteViews.INTS.set(a, at + 4 * i, ints[i]);
        }
        out.advance(5 + 4 * ints.length);
        return true;
    }

    private static boolean writeLongs(long[] longs, byte tag, ByteSink out) {
        if (longs.length > DIRECT_LIMIT / 8) {
            return false;
        }
        byte[] a = putCounted(out, tag, longs.length, 8 * longs.length);
        int at = out.position() + 5;
        for (int i = 0; i < longs.length; i++) {
            ByteViews.LONGS.set(a, at + 8 * i, longs[i]);
        }
        out.advance(5 + 8 * longs.length);
        return true;
    }

    /** Whether {@code tag} starts a direct value (not {@link #SERIALIZED}, not another format's). */
    public static boolean isDirect(byte tag) {
        switch (tag) {
            case NULL: case TRUE: case FALSE: case BYTE: case SHORT: case CHAR: case INT: case LONG:
            case FLOAT: case DOUBLE: case LATIN1: case UTF16: case BYTES: case INTS: case LONGS: case DOUBLES:
                return true;
            default:
                return false;
        }
    }

    /**
     * Reads the value of a direct {@code tag} (already read) from {@code in}. An unknown tag, or
     * bytes that do not hold a whole value, give a {@link StreamCorruptedException}.
     */
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
                return (short) ByteViews.SHORTS.get(a, in.skip(2));
            case CHAR:
                return (char) ByteViews.CHARS.get(a, in.skip(2));
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
            case UTF16: {
                int length = in.getLength(2);
                int at = in.skip(2 * length);
                char[] chars = new char[length];
                for (int i = 0; i < length; i++) {
                    chars[i] = (char) ByteViews.CHARS.get(a, at + 2 * i);
                }
                return new String(chars);
            }
            case BYTES: {
                int length = in.getLength(1);
                int at = in.skip(length);
                return Arrays.copyOfRange(a, at, at + length);
            }
            case INTS: {
                int length = in.getLength(4);
                int at = in.skip(4 * length);
                int[] ints = new int[length];
                for (int i = 0; i < length; i++) {
                    ints[i] = (int) ByteViews.INTS.get(a, at + 4 * i);
                }
                return ints;
            }
            case LONGS: {
                int length = in.getLength(8);
                int at = in.skip(8 * length);
                long[] longs = new long[length];
                for (int i = 0; i < length; i++) {
                    longs[i] = (long) ByteViews.LONGS.get(a, at + 8 * i);
                }
                return longs;
            }
            case DOUBLES: {
                int length = in.getLength(8);
                int at = in.skip(8 * length);
                double[] doubles = new double[length];
                for (int i = 0; i < length; i++) {
                    doubles[i] = Double.longBitsToDouble((long) ByteViews.LONGS.get(a, at + 8 * i));
                }
                return doubles;
            }
            default:
                throw new StreamCorruptedException(String.format(
                        "malformed message: unknown value type 0x%02x", tag & 0xff));
        }
    }
}
