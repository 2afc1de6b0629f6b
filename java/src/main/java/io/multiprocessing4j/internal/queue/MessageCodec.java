package io.multiprocessing4j.internal.queue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a queue's messages are turned into bytes and back: one tag byte, then the value.
 *
 * <p>Null, booleans, boxed primitives, strings and {@code byte[]} have a form of their own; anything
 * else takes Java serialization. Why: a fresh {@link ObjectOutputStream} per message writes the
 * class's description every time and costs microseconds, and the first {@link ObjectInputStream} of
 * a JVM costs about 25 ms, which a child that only ever receives numbers or text should never pay.
 * Messages must be independent of each other (any consumer may get any of them), so one long-lived
 * object stream per queue, which would share class descriptions, is not an option.
 *
 * <p>Strings are UTF-8 unless they hold a lone surrogate, which UTF-8 cannot carry (the JDK would
 * replace it with '?'): those travel as their UTF-16 chars, so every string arrives exactly as it
 * was put.
 */
public final class MessageCodec {
    private static final byte NULL = 0;
    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte BYTE = 3;
    private static final byte SHORT = 4;
    private static final byte CHAR = 5;
    private static final byte INT = 6;
    private static final byte LONG = 7;
    private static final byte FLOAT = 8;
    private static final byte DOUBLE = 9;
    private static final byte STRING_UTF8 = 10;
    private static final byte STRING_CHARS = 11;
    private static final byte BYTES = 12;
    private static final byte SERIALIZED = 13;

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private MessageCodec() {
    }

    /**
     * The bytes of {@code value}, taken now: later changes to the object do not change them.
     * A value Java serialization refuses is an {@link IllegalArgumentException} naming the cause.
     */
    public static byte[] encode(Object value) {
        if (value == null) {
            return new byte[] {NULL};
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            byte[] bytes = tagged(INT, Integer.BYTES);
            INTS.set(bytes, 1, (int) (Integer) value);
            return bytes;
        }
        if (type == Long.class) {
            byte[] bytes = tagged(LONG, Long.BYTES);
            LONGS.set(bytes, 1, (long) (Long) value);
            return bytes;
        }
        if (type == String.class) {
            return encodeString((String) value);
        }
        if (type == byte[].class) {
            byte[] data = (byte[]) value;
            byte[] bytes = tagged(BYTES, data.length);
            System.arraycopy(data, 0, bytes, 1, data.length);
            return bytes;
        }
        if (type == Double.class) {
            byte[] bytes = tagged(DOUBLE, Long.BYTES);
            LONGS.set(bytes, 1, Double.doubleToRawLongBits((Double) value));
            return bytes;
        }
        if (type == Boolean.class) {
            return new byte[] {(Boolean) value ? TRUE : FALSE};
        }
        if (type == Float.class) {
            byte[] bytes = tagged(FLOAT, Integer.BYTES);
            INTS.set(bytes, 1, Float.floatToRawIntBits((Float) value));
            return bytes;
        }
        if (type == Short.class) {
            byte[] bytes = tagged(SHORT, Short.BYTES);
            SHORTS.set(bytes, 1, (short) (Short) value);
            return bytes;
        }
        if (type == Character.class) {
            byte[] bytes = tagged(CHAR, Character.BYTES);
            SHORTS.set(bytes, 1, (short) (char) (Character) value);
            return bytes;
        }
        if (type == Byte.class) {
            return new byte[] {BYTE, (Byte) value};
        }
        return serialize(value);
    }

    /** The object {@link #encode} made {@code bytes} of (a new one each time). */
    public static Object decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalStateException("a queue message with no bytes");
        }
        switch (bytes[0]) {
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case BYTE:
                return bytes[1];
            case SHORT:
                return (short) SHORTS.get(bytes, 1);
            case CHAR:
                return (char) (short) SHORTS.get(bytes, 1);
            case INT:
                return (int) INTS.get(bytes, 1);
            case LONG:
                return (long) LONGS.get(bytes, 1);
            case FLOAT:
                return Float.intBitsToFloat((int) INTS.get(bytes, 1));
            case DOUBLE:
                return Double.longBitsToDouble((long) LONGS.get(bytes, 1));
            case STRING_UTF8:
                return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
            case STRING_CHARS:
                return decodeChars(bytes);
            case BYTES:
                return Arrays.copyOfRange(bytes, 1, bytes.length);
            case SERIALIZED:
                return deserialize(bytes);
            default:
                throw new IllegalStateException("a queue message with unknown tag " + bytes[0]);
        }
    }

    private static byte[] tagged(byte tag, int payload) {
        byte[] bytes = new byte[1 + payload];
        bytes[0] = tag;
        return bytes;
    }

    private static byte[] encodeString(String value) {
        // (No shortcut on the length: a lone surrogate becomes a one-byte '?', just as ASCII does.)
        if (!hasLoneSurrogate(value)) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            byte[] bytes = tagged(STRING_UTF8, utf8.length);
            System.arraycopy(utf8, 0, bytes, 1, utf8.length);
            return bytes;
        }
        // Char by char: the JDK's UTF-16 encoder would replace a lone surrogate too.
        byte[] bytes = tagged(STRING_CHARS, 2 * value.length());
        for (int i = 0; i < value.length(); i++) {
            SHORTS.set(bytes, 1 + 2 * i, (short) value.charAt(i));
        }
        return bytes;
    }

    private static String decodeChars(byte[] bytes) {
        char[] chars = new char[(bytes.length - 1) / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (short) SHORTS.get(bytes, 1 + 2 * i);
        }
        return new String(chars);
    }

    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] serialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(SERIALIZED);
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
