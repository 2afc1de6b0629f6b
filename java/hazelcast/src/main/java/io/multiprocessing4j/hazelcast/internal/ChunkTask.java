package io.multiprocessing4j.hazelcast.internal;

import io.multiprocessing4j.pool.PoolBiFunction;
import io.multiprocessing4j.pool.PoolFunction;
import io.multiprocessing4j.pool.PoolStarFunction;
import io.multiprocessing4j.pool.RemoteException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One chunk of a pool's work, run by a member as one Hazelcast task: the function and its items,
 * encoded by the caller; the answer is an encoded {@link ChunkOutcome}. A task's exception is part
 * of the answer (with the member's stack trace), not a failure of the Hazelcast task, so that it
 * reaches the caller as it was thrown.
 */
public final class ChunkTask implements Callable<byte[]>, Serializable {
    private static final long serialVersionUID = 1L;

    /** How the function is called on each item. */
    public enum Kind { CALL, APPLY, APPLY2, STAR }

    private final byte[] payload;

    private ChunkTask(byte[] payload) {
        this.payload = payload;
    }

    /**
     * Encodes {@code function} and {@code items}; an {@link IllegalArgumentException} naming what
     * cannot be serialized. APPLY2 items are two-element arrays.
     */
    public static ChunkTask of(Kind kind, Object function, List<?> items) {
        try {
            return new ChunkTask(Codec.encode(new Object[] {kind, function, new ArrayList<>(items)}));
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("cannot serialize the task or its arguments: " + e.getMessage()
                    + " (a lambda must be written where a serializable interface such as PoolFunction is expected)", e);
        }
    }

    @Override
    public byte[] call() throws Exception {
        Object[] decoded = (Object[]) Codec.decode(payload);
        Kind kind = (Kind) decoded[0];
        Object function = decoded[1];
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) decoded[2];
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

    /** The outcome as bytes; a result that cannot be serialized fails its chunk, an exception that cannot travels as a RemoteException. */
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
        return new RemoteException(failure.getClass().getName(), failure.getMessage(), failure.getStackTrace(), cause);
    }
}
