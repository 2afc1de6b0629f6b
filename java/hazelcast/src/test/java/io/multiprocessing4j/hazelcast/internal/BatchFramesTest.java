package io.multiprocessing4j.hazelcast.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A batch and its answer as Hazelcast carries them between the caller and a member, through
 * Hazelcast's own data streams: they round-trip, and frames that another JVM got wrong fail with
 * an IOException, never with a huge allocation or an unchecked exception.
 */
class BatchFramesTest {
    private static final InternalSerializationService HAZELCAST = new DefaultSerializationServiceBuilder().build();

    @AfterAll
    static void dispose() {
        HAZELCAST.dispose();
    }

    private static byte[] written(DataSerializable frame) throws IOException {
        BufferObjectDataOutput out = HAZELCAST.createObjectDataOutput();
        frame.writeData(out);
        return out.toByteArray();
    }

    private static <T extends DataSerializable> T read(T empty, byte[] bytes) throws IOException {
        empty.readData(HAZELCAST.createObjectDataInput(bytes));
        return empty;
    }

    @Test
    void aBatchAndItsAnswerRoundTrip() throws Exception {
        byte[] items = BatchTask.encodeItems(List.of(1, "two"));
        BatchTask task = read(new BatchTask(), written(new BatchTask(BatchTask.Kind.APPLY, new byte[] {7},
                new byte[][] {items, items})));
        assertArrayEquals(written(new BatchTask(BatchTask.Kind.APPLY, new byte[] {7}, new byte[][] {items, items})),
                written(task));

        BatchAnswer answer = read(new BatchAnswer(), written(new BatchAnswer(
                new byte[][] {ChunkOutcome.success(List.<Object>of(3L)), ChunkOutcome.failure(new IllegalStateException("x"))},
                1234)));
        assertEquals(2, answer.chunks());
        assertEquals(1234, answer.runNanos());
        assertEquals(List.of(3L), answer.outcome(0).values());
        assertEquals("x", answer.outcome(1).failure().getMessage());
    }

    @Test
    void aChunkCountTheBytesDoNotBackEndsAtTheirEnd() throws Exception {
        BufferObjectDataOutput task = HAZELCAST.createObjectDataOutput();
        task.writeByte(BatchTask.Kind.CALL.ordinal());
        task.writeByteArray(new byte[] {1});
        task.writeInt(Integer.MAX_VALUE);
        assertThrows(IOException.class, () -> read(new BatchTask(), task.toByteArray()));

        BufferObjectDataOutput answer = HAZELCAST.createObjectDataOutput();
        answer.writeLong(1);
        answer.writeInt(Integer.MAX_VALUE);
        assertThrows(IOException.class, () -> read(new BatchAnswer(), answer.toByteArray()));
    }

    @Test
    void anUnknownBatchKindOrChunkOutcomeIsReportedAsSuch() throws Exception {
        BufferObjectDataOutput task = HAZELCAST.createObjectDataOutput();
        task.writeByte(BatchTask.Kind.values().length);
        IOException unknownKind = assertThrows(IOException.class, () -> read(new BatchTask(), task.toByteArray()));
        assertEquals("unknown batch kind " + BatchTask.Kind.values().length, unknownKind.getMessage());

        assertThrows(StreamCorruptedException.class, () -> ChunkOutcome.decode(new byte[0]));
        assertThrows(StreamCorruptedException.class, () -> ChunkOutcome.decode(new byte[] {9, 1, 2}));
        byte[] notAThrowable = Codec.encode("a string");
        byte[] failure = new byte[notAThrowable.length + 1];
        failure[0] = 1; // a failure
        System.arraycopy(notAThrowable, 0, failure, 1, notAThrowable.length);
        assertThrows(StreamCorruptedException.class, () -> ChunkOutcome.decode(failure));
    }
}
