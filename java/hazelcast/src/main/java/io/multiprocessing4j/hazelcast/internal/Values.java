package io.multiprocessing4j.hazelcast.internal;

import io.multiprocessing4j.internal.transfer.BigEndian;
import io.multiprocessing4j.internal.transfer.ByteCursor;
import io.multiprocessing4j.internal.transfer.DirectValues;
import io.multiprocessing4j.internal.transfer.ExactSizeSink;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A chunk's items, or its results, as bytes. When every value has a direct encoding (the core's
 * {@link DirectValues}: null, boxed primitives, strings, primitive arrays) or is an
 * {@code ArrayList} or {@code Object[]} of such values, the list is written value by value, a few
 * bytes each; otherwise it is written whole by Java serialization. Why: a Java serialization stream
 * costs a header, class descriptors and some microseconds to open, which at one item per chunk is
 * more than the task. Only exact classes are written directly, so every value decodes to the class
 * it had.
 *
 * <pre>
 *   LIST, then the list's size and its values, each a direct value, a LIST or an OBJECTS
 *   or SERIALIZED, then the Java serialization of the whole list (an ArrayList)
 * </pre>
 * The bytes come from another member or from the caller: decoding checks every tag, length and
 * nesting level against what was written, so malformed bytes are a {@link StreamCorruptedException},
 * never a wrong value, an absurd allocation or a stack overflow.
 */
public final class Values {
    /** Nesting beyond this (or a list holding itself) is left to Java serialization. */
    private static final int MAX_DEPTH = 4;

    private Values() {
    }

    /** The values as bytes; {@link NotSerializableException} naming a value that cannot be written. */
    public static byte[] encode(List<?> values) throws NotSerializableException {
        ExactSizeSink direct = new ExactSizeSink();
        if (writeList(DirectValues.LIST, values, 0, direct)) {
            return direct.toArray();
        }
        byte[] java = Codec.encode(new ArrayList<>(values));
        byte[] bytes = new byte[java.length + 1];
        bytes[0] = DirectValues.SERIALIZED;
        System.arraycopy(java, 0, bytes, 1, java.length);
        return bytes;
    }

    /** The values that {@link #encode} wrote, in a new {@code ArrayList}. */
    @SuppressWarnings("unchecked")
    public static List<Object> decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new StreamCorruptedException("malformed values: no bytes");
        }
        if (bytes[0] == DirectValues.SERIALIZED) {
            Object list = Codec.decode(Arrays.copyOfRange(bytes, 1, bytes.length));
            if (!(list instanceof ArrayList)) {
                throw new StreamCorruptedException("malformed values: a serialized "
                        + (list == null ? "null" : list.getClass().getName()) + " where a list was written");
            }
            return (List<Object>) list;
        }
        ByteCursor in = new ByteCursor(bytes, 0, bytes.length);
        if (in.getByte() != DirectValues.LIST) {
            throw new StreamCorruptedException(String.format("malformed values: they begin with 0x%02x", bytes[0]));
        }
        ArrayList<Object> values = readList(in, 0);
        if (in.hasRemaining()) {
            throw new StreamCorruptedException("malformed values: " + in.remaining() + " bytes after the list");
        }
        return values;
    }

    /** Writes {@code tag}, the size and the values; false, with {@code out} to be dropped, if one has no direct form. */
    private static boolean writeList(byte tag, List<?> values, int depth, ExactSizeSink out) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        byte[] array = out.reserve(5);
        int at = out.position();
        array[at] = tag;
        BigEndian.INTS.set(array, at + 1, values.size());
        out.advance(5);
        for (Object value : values) {
            boolean written;
            if (value != null && value.getClass() == ArrayList.class) {
                written = writeList(DirectValues.LIST, (List<?>) value, depth + 1, out);
            } else if (value != null && value.getClass() == Object[].class) {
                written = writeList(DirectValues.OBJECTS, Arrays.asList((Object[]) value), depth + 1, out);
            } else {
                written = DirectValues.write(value, out);
            }
            if (!written) {
                return false;
            }
        }
        return true;
    }

    private static ArrayList<Object> readList(ByteCursor in, int depth) throws StreamCorruptedException {
        if (depth > MAX_DEPTH) {
            // the writer serializes a list this deep: only malformed bytes nest further
            throw new StreamCorruptedException("malformed values: lists nested over " + MAX_DEPTH + " deep");
        }
        int size = in.getLength(1); // every value takes at least its tag byte
        ArrayList<Object> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            byte tag = in.getByte();
            if (tag == DirectValues.LIST) {
                values.add(readList(in, depth + 1));
            } else if (tag == DirectValues.OBJECTS) {
                values.add(readList(in, depth + 1).toArray());
            } else {
                values.add(DirectValues.read(tag, in));
            }
        }
        return values;
    }
}
