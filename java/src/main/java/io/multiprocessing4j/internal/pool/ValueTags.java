package io.multiprocessing4j.internal.pool;

import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The direct encodings of a value block: a tag byte, then the value. Exact classes only (a
 * subclass, were there one, would lose its type); everything else is {@link #SERIALIZED}. Tags
 * are printable ASCII, as the connection's own, so that a dumped message can be read.
 */
final class ValueTags {
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
    /** Any other string: two bytes per char (exact even for unpaired surrogates). */
    static final byte UTF16 = 'u';
    static final byte BYTES = 'B';
    static final byte INTS = 'I';
    static final byte LONGS = 'L';
    static final byte DOUBLES = 'D';
    /** An {@code ArrayList}: its size, then its elements as values (written by the block writer). */
    static final byte LIST = 'A';
    /** Lists nested deeper than this go to the serialized section (no unbounded recursion). */
    static final int MAX_LIST_DEPTH = 32;
    /** The next object of the block's serialized section. */
    static final byte SERIALIZED = 'S';

    private ValueTags() {
    }

    /** Writes {@code value} directly if it is of a directly encoded class; false otherwise (nothing written). */
    static boolean writeDirect(Object value, WireBuffer out) {
        if (value == null) {
            out.putByte(NULL);
            return true;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            byte[] a = out.reserve(5);
            int at = out.position();
            a[at] = INT;
            WireBuffer.INTS.set(a, at + 1, (int) (Integer) value);
            out.advance(5);
            return true;
        }
        if (type == Long.class) {
            byte[] a = out.reserve(9);
            int at = out.position();
            a[at] = LONG;
            WireBuffer.LONGS.set(a, at + 1, (long) (Long) value);
            out.advance(9);
            return true;
        }
        if (type == String.class) {
            String text = (String) value;
            if (text.length() > (Integer.MAX_VALUE - 16) / 2) {
                return false;
            }
            writeString(text, out);
            return true;
        }
        if (type == Double.class) {
            byte[] a = out.reserve(9);
            int at = out.position();
            a[at] = DOUBLE;
            WireBuffer.DOUBLES.set(a, at + 1, (double) (Double) value);
            out.advance(9);
            return true;
        }
        if (type == Boolean.class) {
            out.putByte((Boolean) value ? TRUE : FALSE);
            return true;
        }
        if (type == Float.class) {
            byte[] a = out.reserve(5);
            int at = out.position();
            a[at] = FLOAT;
            WireBuffer.FLOATS.set(a, at + 1, (float) (Float) value);
            out.advance(5);
            return true;
        }
        if (type == Short.class) {
            byte[] a = out.reserve(3);
            int at = out.position();
            a[at] = SHORT;
            WireBuffer.SHORTS.set(a, at + 1, (short) (Short) value);
            out.advance(3);
            return true;
        }
        if (type == Character.class) {
            byte[] a = out.reserve(3);
            int at = out.position();
            a[at] = CHAR;
            WireBuffer.CHARS.set(a, at + 1, (char) (Character) value);
            out.advance(3);
            return true;
        }
        if (type == Byte.class) {
            out.putByte(BYTE);
            out.putByte((Byte) value);
            return true;
        }
        if (type == byte[].class) {
            byte[] bytes = (byte[]) value;
            if (bytes.length > Integer.MAX_VALUE - 16) {
                return false;
            }
            out.putByte(BYTES);
            out.putInt(bytes.length);
            out.putBytes(bytes, 0, bytes.length);
            return true;
        }
        if (type == int[].class) {
            int[] ints = (int[]) value;
            if (ints.length > (Integer.MAX_VALUE - 16) / 4) {
                return false; // too large for one message array: the serializer streams it
            }
            byte[] a = out.reserve(5 + 4 * ints.length);
            int at = out.position();
            a[at] = INTS;
            WireBuffer.INTS.set(a, at + 1, ints.length);
            for (int i = 0; i < ints.length; i++) {
                WireBuffer.INTS.set(a, at + 5 + 4 * i, ints[i]);
            }
            out.advance(5 + 4 * ints.length);
            return true;
        }
        if (type == long[].class) {
            return writeLongs((long[]) value, LONGS, out);
        }
        if (type == double[].class) {
            double[] doubles = (double[]) value;
            long[] bits = new long[doubles.length];
            for (int i = 0; i < doubles.length; i++) {
                bits[i] = Double.doubleToRawLongBits(doubles[i]); // every NaN payload survives
            }
            return writeLongs(bits, DOUBLES, out);
        }
        return false;
    }

    private static boolean writeLongs(long[] longs, byte tag, WireBuffer out) {
        if (longs.length > (Integer.MAX_VALUE - 16) / 8) {
            return false; // too large for one message array: the serializer streams it
        }
        byte[] a = out.reserve(5 + 8 * longs.length);
        int at = out.position();
        a[at] = tag;
        WireBuffer.INTS.set(a, at + 1, longs.length);
        for (int i = 0; i < longs.length; i++) {
            WireBuffer.LONGS.set(a, at + 5 + 8 * i, longs[i]);
        }
        out.advance(5 + 8 * longs.length);
        return true;
    }

    /** Latin-1 in one pass; at the first char above 255, starts over as UTF-16. */
    private static void writeString(String text, WireBuffer out) {
        int length = text.length();
        int mark = out.position();
        byte[] a = out.reserve(5 + length);
        a[mark] = LATIN1;
        WireBuffer.INTS.set(a, mark + 1, length);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0xff) {
                writeUtf16(text, out);
                return;
            }
            a[mark + 5 + i] = (byte) c;
        }
        out.advance(5 + length);
    }

    private static void writeUtf16(String text, WireBuffer out) {
        int length = text.length();
        byte[] a = out.reserve(5 + 2 * length);
        int at = out.position();
        a[at] = UTF16;
        WireBuffer.INTS.set(a, at + 1, length);
        for (int i = 0; i < length; i++) {
            WireBuffer.CHARS.set(a, at + 5 + 2 * i, text.charAt(i));
        }
        out.advance(5 + 2 * length);
    }

    static Object readDirect(byte tag, WireReader in) throws StreamCorruptedException {
        byte[] a = in.array;
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
                return (short) WireBuffer.SHORTS.get(a, in.skip(2));
            case CHAR:
                return (char) WireBuffer.CHARS.get(a, in.skip(2));
            case INT:
                return in.getInt();
            case LONG:
                return in.getLong();
            case FLOAT:
                return (float) WireBuffer.FLOATS.get(a, in.skip(4));
            case DOUBLE:
                return (double) WireBuffer.DOUBLES.get(a, in.skip(8));
            case LATIN1: {
                int length = in.getLength(1);
                return new String(a, in.skip(length), length, StandardCharsets.ISO_8859_1);
            }
            case UTF16: {
                int length = in.getLength(2);
                int at = in.skip(2 * length);
                char[] chars = new char[length];
                for (int i = 0; i < length; i++) {
                    chars[i] = (char) WireBuffer.CHARS.get(a, at + 2 * i);
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
                    ints[i] = (int) WireBuffer.INTS.get(a, at + 4 * i);
                }
                return ints;
            }
            case LONGS: {
                int length = in.getLength(8);
                int at = in.skip(8 * length);
                long[] longs = new long[length];
                for (int i = 0; i < length; i++) {
                    longs[i] = (long) WireBuffer.LONGS.get(a, at + 8 * i);
                }
                return longs;
            }
            case DOUBLES: {
                int length = in.getLength(8);
                int at = in.skip(8 * length);
                double[] doubles = new double[length];
                for (int i = 0; i < length; i++) {
                    doubles[i] = Double.longBitsToDouble((long) WireBuffer.LONGS.get(a, at + 8 * i));
                }
                return doubles;
            }
            default:
                throw new StreamCorruptedException(String.format("malformed value block: unknown tag 0x%02x", tag & 0xff));
        }
    }
}
