package io.multiprocessing4j.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolStarFunction;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One or more chunks of a pool's work, of one function, run by a member as one Hazelcast task, in
 * order: the function's bytes travel once, each chunk's items as {@link Values}. Each chunk gets an
 * outcome of its own, so that a chunk that throws fails alone, as it would have on its own. A
 * task's exception is part of the answer (with the member's stack trace), not a failure of the
 * Hazelcast task, so that it reaches the caller as it was thrown.
 */
public final class BatchTask implements Callable<BatchAnswer>, DataSerializable {
    /** How the function is called on each item. */
    public enum Kind { CALL, APPLY, APPLY2, STAR }

    private Kind kind;
    private byte[] function;
    private byte[][] chunks;

    /** For Hazelcast's deserialization only. */
    public BatchTask() {
    }

    /** A batch of chunks (each from {@link #encodeItems}) for a function from {@link Functions#encode}. */
    public BatchTask(Kind kind, byte[] function, byte[][] chunks) {
        this.kind = kind;
        this.function = function;
        this.chunks = chunks;
    }

    /** A chunk's items as bytes; an {@link IllegalArgumentException} naming what cannot be serialized. */
    public static byte[] encodeItems(List<?> items) {
        try {
            return Values.encode(items);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("cannot serialize the task's arguments: " + e.getMessage(), e);
        }
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeByteArray(function);
        out.writeInt(chunks.length);
        for (byte[] chunk : chunks) {
            out.writeByteArray(chunk);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        byte kindIndex = in.readByte();
        if (kindIndex < 0 || kindIndex >= Kind.values().length) {
            throw new IOException("unknown batch kind " + kindIndex);
        }
        kind = Kind.values()[kindIndex];
        function = in.readByteArray();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative chunk count " + count);
        }
        // Grown as the arrays arrive rather than sized by the count: a count that the bytes do not
        // back ends at their end (EOFException), not in a huge allocation.
        List<byte[]> read = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            read.add(in.readByteArray());
        }
        chunks = read.toArray(new byte[0][]);
    }

    @Override
    public BatchAnswer call() {
        long start = System.nanoTime();
        byte[][] outcomes = new byte[chunks.length][];
        Object decoded;
        try {
            decoded = Functions.decode(function);
        } catch (Exception | LinkageError undecodable) { // e.g. the function's class is not on this member
            byte[] failure = ChunkOutcome.failure(undecodable);
            java.util.Arrays.fill(outcomes, failure);
            return new BatchAnswer(outcomes, System.nanoTime() - start);
        }
        for (int i = 0; i < chunks.length; i++) {
            if (Thread.currentThread().isInterrupted()) { // cancelled: the rest would not be wanted
                outcomes[i] = ChunkOutcome.failure(new InterruptedException("the task was cancelled"));
                continue;
            }
            outcomes[i] = runChunk(decoded, chunks[i]);
        }
        return new BatchAnswer(outcomes, System.nanoTime() - start);
    }

    private byte[] runChunk(Object function, byte[] encodedItems) {
        List<Object> values;
        try {
            List<Object> items = Values.decode(encodedItems);
            values = new ArrayList<>(items.size());
            for (Object item : items) {
                values.add(run(kind, function, item));
            }
        } catch (Throwable failed) { // the task's own failure, whatever it is, is the caller's to see
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return ChunkOutcome.failure(failed);
        }
        return ChunkOutcome.success(values);
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
}
