package io.multiprocessing4j.hazelcast.internal;

import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool's functions as bytes, cached at both ends. Serializing a lambda, and rebuilding it from
 * its serialized form, costs tens of microseconds: more than a small task. The caller keeps the
 * bytes of lambdas that capture nothing (their form never changes; a capturing lambda is encoded
 * each time, since what it captured may have changed); a member keeps the functions it decoded, by
 * their bytes.
 */
public final class Functions {
    private static final ClassValue<byte[][]> ENCODED = new ClassValue<>() {
        @Override
        protected byte[][] computeValue(Class<?> type) {
            return new byte[1][];
        }
    };

    /** Functions decoded on this member, by their bytes. Bounded; the least recently used goes first. */
    private static final Map<Key, Object> DECODED = Collections.synchronizedMap(
            new LinkedHashMap<Key, Object>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
                    return size() > 64;
                }
            });

    private Functions() {
    }

    /** The function's bytes; an {@link IllegalArgumentException} if it cannot be serialized. */
    public static byte[] encode(Object function) {
        boolean constant = capturesNothing(function.getClass());
        if (constant) {
            byte[] cached = ENCODED.get(function.getClass())[0];
            if (cached != null) {
                return cached;
            }
        }
        byte[] bytes;
        try {
            bytes = Codec.encode(function);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("cannot serialize the function: " + e.getMessage()
                    + " (a lambda must be written where a serializable interface such as PoolFunction is expected)", e);
        }
        if (constant) {
            ENCODED.get(function.getClass())[0] = bytes; // a benign race: every writer writes the same bytes
        }
        return bytes;
    }

    private static boolean capturesNothing(Class<?> type) {
        if (!type.isHidden() || !type.isSynthetic()) { // lambdas only: another class may serialize itself as it likes
            return false;
        }
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** The function these bytes encode, decoded once per member. */
    static Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        Key key = new Key(bytes);
        Object decoded = DECODED.get(key);
        if (decoded == null) {
            decoded = Codec.decode(bytes);
            DECODED.put(key, decoded);
        }
        return decoded;
    }

    /** A function's bytes as a map key. */
    private static final class Key {
        private final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key && Arrays.equals(bytes, ((Key) other).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
