package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.transfer.LambdaCodec;
import io.multiprocessing4j.internal.transfer.LimitedObjectInput;
import io.multiprocessing4j.internal.transfer.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * A task's function as bytes: a lambda capturing only plain values travels in the compact form
 * of {@link LambdaCodec} (no Java serialization, whose first use costs a fresh worker JVM about
 * 25 ms), anything else with Java serialization.
 *
 * <p>A lambda class without fields captures nothing, so all its instances encode the same: its
 * encoding is computed once per class. (Other functions are encoded per submission: a captured
 * object may have changed since; the pool's {@link FunctionTable} then recognizes equal bytes.)
 */
final class FunctionCodec {
    private static final byte COMPACT = 'C';
    private static final byte SERIALIZED = 'J';

    /** Per lambda class without fields: its encoding, once computed. */
    private static final ClassValue<StatelessEncoding> STATELESS = new ClassValue<>() {
        @Override
        protected StatelessEncoding computeValue(Class<?> type) {
            return type.isSynthetic() && type.getDeclaredFields().length == 0 ? new StatelessEncoding() : null;
        }
    };

    private static final class StatelessEncoding {
        volatile byte[] bytes;
    }

    private FunctionCodec() {
    }

    /**
     * The bytes of {@code function}; an {@link IllegalArgumentException} naming what is not
     * serializable if it cannot be encoded.
     */
    static byte[] encode(Object function, String what) {
        StatelessEncoding stateless = STATELESS.get(function.getClass());
        if (stateless == null) {
            return encodeFresh(function, what);
        }
        byte[] cached = stateless.bytes;
        if (cached == null) {
            cached = encodeFresh(function, what);
            stateless.bytes = cached; // a benign race: every thread computes the same bytes
        }
        return cached;
    }

    private static byte[] encodeFresh(Object function, String what) {
        if (!(function instanceof java.io.Serializable)) {
            throw Serializability.notSerializableFunction(what, function);
        }
        byte[] compact = LambdaCodec.encode(function);
        if (compact != null) {
            return withKind(COMPACT, compact);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            bytes.write(SERIALIZED);
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(function);
            }
            return bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw Serializability.notSerializable(what, e);
        }
    }

    private static byte[] withKind(byte kind, byte[] data) {
        byte[] result = new byte[data.length + 1];
        result[0] = kind;
        System.arraycopy(data, 0, result, 1, data.length);
        return result;
    }

    /** Rebuilds a function in the worker. */
    static Object decode(byte[] data) throws IOException, ClassNotFoundException {
        if (data.length == 0) {
            throw new StreamCorruptedException("malformed pool message: an empty function");
        }
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        if (data[0] == COMPACT) {
            return LambdaCodec.decode(body, FunctionCodec.class.getClassLoader());
        }
        if (data[0] == SERIALIZED) {
            try (LimitedObjectInput in = Serialization.objectInput(body, 0, body.length)) {
                return in.readLimited();
            }
        }
        throw new StreamCorruptedException("malformed pool message: unknown function encoding " + data[0]);
    }
}
