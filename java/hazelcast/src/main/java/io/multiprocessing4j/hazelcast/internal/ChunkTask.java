package io.multiprocessing4j.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolStarFunction;
import io.multiprocessing4j.errors.RemoteTaskException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One chunk of a pool's work, run by a member as one Hazelcast task: the function and its items,
 * encoded by the caller; the answer is an encoded {@link ChunkOutcome}. A task's exception is part
 * of the answer (with the member's stack trace), not a failure of the Hazelcast task, so that it
 * reaches the caller as it was thrown.
 */
public final class ChunkTask implements Callable<byte[]>, DataSerializable {
    /** How the function is called on each item. */
    public enum Kind { CALL, APPLY, APPLY2, STAR }

    /**
     * Functions already decoded on this member, by their bytes: rebuilding a lambda from its
     * serialized form costs far more than running a small task, and a pool sends the same function
     * with every chunk. Bounded; the eldest goes first.
     */
    private static final Map<FunctionKey, Object> FUNCTIONS = Collections.synchronizedMap(
            new LinkedHashMap<FunctionKey, Object>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<FunctionKey, Object> eldest) {
                    return size() > 64;
                }
            });

    private Kind kind;
    private byte[] function;
    private byte[] items;

    /** For Hazelcast's deserialization only. */
    public ChunkTask() {
    }

    private ChunkTask(Kind kind, byte[] function, byte[] items) {
        this.kind = kind;
        this.function = function;
        this.items = items;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeByteArray(function);
        out.writeByteArray(items);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        kind = Kind.values()[in.readByte()];
        function = in.readByteArray();
        items = in.readByteArray();
    }

    /**
     * Encodes {@code function} and {@code items}; an {@link IllegalArgumentException} naming what
     * cannot be serialized. APPLY2 items are two-element arrays.
     */
    public static ChunkTask of(Kind kind, Object function, List<?> items) {
        return of(kind, encodeFunction(function), items);
    }

    /** The function's bytes, to share between the chunks of one call. */
    public static byte[] encodeFunction(Object function) {
        try {
            return Codec.encode(function);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("cannot serialize the function: " + e.getMessage()
                    + " (a lambda must be written where a serializable interface such as PoolFunction is expected)", e);
        }
    }

    /** A chunk of {@code items} for a function already encoded. */
    public static ChunkTask of(Kind kind, byte[] function, List<?> items) {
        try {
            return new ChunkTask(kind, function, Codec.encode(new ArrayList<>(items)));
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("cannot serialize the task's arguments: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] call() throws Exception {
        Kind kind = this.kind;
        Object function = decodeFunction();
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) Codec.decode(this.items);
        List<Object> values = new ArrayList<>(items.size());
        ChunkOutcome outcome;
        try {
            for (Object item : items) {
                values.add(run(kind, function, item));
            }
            outcome = new ChunkOutcome(values, null);
        } catch (Throwable failed) { // the task's own failure, whatever it is, is the caller's to see
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            outcome = new ChunkOutcome(null, failed);
        }
        return encode(outcome);
    }

    private Object decodeFunction() throws IOException, ClassNotFoundException {
        FunctionKey key = new FunctionKey(function);
        Object decoded = FUNCTIONS.get(key);
        if (decoded == null) {
            decoded = Codec.decode(function);
            FUNCTIONS.put(key, decoded);
        }
        return decoded;
    }

    /** A function's bytes as a map key. */
    private static final class FunctionKey {
        private final byte[] bytes;
        private final int hash;

        FunctionKey(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FunctionKey && Arrays.equals(bytes, ((FunctionKey) other).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object run(Kind kind, Object function, Object item) throws Exception {
        switch (kind) {
            case CALL:
                return ((Callable<?>) function).call();
            case APPLY:
                return ((PoolFunction) function).apply(item);
            case APPLY2:
                Object[] pair = (Object[]) item;
                return ((PoolBiFunction) function).apply(pair[0], pair[1]);
            case STAR:
                return ((PoolStarFunction<?>) function).apply((List<?>) item);
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** The outcome as bytes; a result that cannot be serialized fails its chunk, an exception that cannot travels as a RemoteTaskException. */
    private static byte[] encode(ChunkOutcome outcome) throws NotSerializableException {
        try {
            return Codec.encode(outcome);
        } catch (NotSerializableException e) {
            if (outcome.failure() == null) {
                return Codec.encode(new ChunkOutcome(null, e));
            }
            return Codec.encode(new ChunkOutcome(null, portable(outcome.failure())));
        }
    }

    private static Throwable portable(Throwable failure) {
        Throwable cause = failure.getCause() != null && failure.getCause() != failure ? portable(failure.getCause()) : null;
        return new RemoteTaskException(failure.getClass().getName(), failure.getMessage(), failure.getStackTrace(), cause);
    }
}
