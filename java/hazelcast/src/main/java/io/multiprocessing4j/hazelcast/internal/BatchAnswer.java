package io.multiprocessing4j.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A member's answer to a {@link BatchTask}: one {@link ChunkOutcome} per chunk, in order, and the
 * time the member spent on the batch (the caller sizes later batches by it).
 */
public final class BatchAnswer implements DataSerializable {
    private byte[][] outcomes;
    private long runNanos;

    /** For Hazelcast's deserialization only. */
    public BatchAnswer() {
    }

    BatchAnswer(byte[][] outcomes, long runNanos) {
        this.outcomes = outcomes;
        this.runNanos = runNanos;
    }

    /** Chunk {@code index}'s outcome. */
    public ChunkOutcome outcome(int index) throws IOException, ClassNotFoundException {
        return ChunkOutcome.decode(outcomes[index]);
    }

    public int chunks() {
        return outcomes.length;
    }

    public long runNanos() {
        return runNanos;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(runNanos);
        out.writeInt(outcomes.length);
        for (byte[] outcome : outcomes) {
            out.writeByteArray(outcome);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        runNanos = in.readLong();
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
        outcomes = read.toArray(new byte[0][]);
    }
}
