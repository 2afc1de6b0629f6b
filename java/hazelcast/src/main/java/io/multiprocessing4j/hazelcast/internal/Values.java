package io.multiprocessing4j.hazelcast.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A chunk's items, or its results, as bytes. The common values of a pool's tasks (null, booleans,
 * ints, longs, doubles, strings, and {@code ArrayList}s and {@code Object[]}s of them) are written
 * tag by tag, a few bytes each; a list holding anything else is written whole by Java serialization.
 * Why: a Java serialization stream costs a header, class descriptors and some microseconds to open,
 * which at one item per chunk is more than the task; the tagged form costs a few bytes and
 * nanoseconds. Only exact classes are written tagged, so every value decodes to the class it had.
 */
public final class Values {
    private static final byte TAGGED = 0;
    private static final byte JAVA = 1;

    private static final byte NULL = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte STRING = 6;
    private static final byte LIST = 7;
    private static final byte ARRAY = 8;

    /** Nesting beyond this (or a list holding itself) is left to Java serialization. */
    private static final int MAX_DEPTH = 4;

    private Values() {
    }

    /** The values as bytes; {@link NotSerializableException} naming a value that cannot be written. */
    public static byte[] encode(List<?> values) throws NotSerializableException {
        if (!taggable(values, 0)) {
            byte[] java = Codec.encode(new ArrayList<>(values));
            byte[] bytes = new byte[java.length + 1];
            bytes[0] = JAVA;
            System.arraycopy(java, 0, bytes, 1, java.length);
            return bytes;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 + 8 * values.size());
        DataOutputStream out = new DataOutputStream(buffer);
        try {
            out.writeByte(TAGGED);
            writeList(out, values);
            out.flush();
        } catch (IOException impossible) { // a ByteArrayOutputStream does not fail
            throw new UncheckedIOException(impossible);
        }
        return buffer.toByteArray();
    }

    /** The values that {@link #encode} wrote, in a new {@code ArrayList}. */
    @SuppressWarnings("unchecked")
    public static List<Object> decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new StreamCorruptedException("no values");
        }
        if (bytes[0] == JAVA) {
            return (List<Object>) Codec.decode(Arrays.copyOfRange(bytes, 1, bytes.length));
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1));
        return readList(in);
    }

    private static boolean taggable(List<?> list, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        for (Object value : list) {
            if (!taggable(value, depth)) {
                return false;
            }
        }
        return true;
    }

    private static boolean taggable(Object value, int depth) {
        if (value == null) {
            return true;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class || type == Long.class || type == String.class || type == Boolean.class
                || type == Double.class) {
            return true;
        }
        if (type == ArrayList.class) {
            return taggable((List<?>) value, depth + 1);
        }
        if (type == Object[].class) {
            return taggable(Arrays.asList((Object[]) value), depth + 1);
        }
        return false;
    }

    private static void writeList(DataOutputStream out, List<?> values) throws IOException {
        out.writeInt(values.size());
        for (Object value : values) {
            write(out, value);
        }
    }

    private static void write(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Integer) {
            out.writeByte(INT);
            out.writeInt((Integer) value);
        } else if (value instanceof Long) {
            out.writeByte(LONG);
            out.writeLong((Long) value);
        } else if (value instanceof String) {
            byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
            out.writeByte(STRING);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (value instanceof Boolean) {
            out.writeByte((Boolean) value ? TRUE : FALSE);
        } else if (value instanceof Double) {
            out.writeByte(DOUBLE);
            out.writeDouble((Double) value);
        } else if (value instanceof ArrayList) {
            out.writeByte(LIST);
            writeList(out, (List<?>) value);
        } else {
            out.writeByte(ARRAY);
            writeList(out, Arrays.asList((Object[]) value));
        }
    }

    private static ArrayList<Object> readList(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new StreamCorruptedException("negative list size " + size);
        }
        ArrayList<Object> values = new ArrayList<>(Math.min(size, 1 << 16));
        for (int i = 0; i < size; i++) {
            values.add(read(in));
        }
        return values;
    }

    private static Object read(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case DOUBLE:
                return in.readDouble();
            case STRING:
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                return new String(utf8, StandardCharsets.UTF_8);
            case LIST:
                return readList(in);
            case ARRAY:
                return readList(in).toArray();
            default:
                throw new StreamCorruptedException("unknown value tag " + tag);
        }
    }
}
