package io.multiprocessing4j.hazelcast.internal;

import io.multiprocessing4j.errors.RemoteTaskException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import java.util.List;

/**
 * What one chunk of a batch answered, as bytes: its values in order ({@link Values}), or the
 * exception one of its items threw (Java-serialized, with the member's stack trace).
 */
public final class ChunkOutcome {
    private static final byte VALUES = 0;
    private static final byte FAILURE = 1;

    private final List<Object> values;
    private final Throwable failure;

    private ChunkOutcome(List<Object> values, Throwable failure) {
        this.values = values;
        this.failure = failure;
    }

    /** The values, or null if the chunk failed. */
    public List<Object> values() {
        return values;
    }

    /** The failure, or null if the chunk succeeded. */
    public Throwable failure() {
        return failure;
    }

    /**
     * The values as bytes; if one cannot be serialized, the chunk's failure saying so (a result that
     * cannot travel fails its chunk, as locally).
     */
    static byte[] success(List<Object> values) {
        try {
            return tagged(VALUES, Values.encode(values));
        } catch (NotSerializableException e) {
            return failure(e);
        }
    }

    /** The failure as bytes; one that cannot be serialized travels as a {@link RemoteTaskException}. */
    static byte[] failure(Throwable failure) {
        try {
            return tagged(FAILURE, Codec.encode(failure));
        } catch (NotSerializableException e) {
            try {
                return tagged(FAILURE, Codec.encode(portable(failure)));
            } catch (NotSerializableException impossible) { // a RemoteTaskException holds strings only
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** Decodes what {@link #success} or {@link #failure} wrote. */
    public static ChunkOutcome decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes == null || bytes.length == 0) {
            throw new StreamCorruptedException("malformed chunk outcome: no bytes");
        }
        byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
        if (bytes[0] == VALUES) {
            return new ChunkOutcome(Values.decode(body), null);
        }
        if (bytes[0] != FAILURE) {
            throw new StreamCorruptedException("malformed chunk outcome: unknown kind " + bytes[0]);
        }
        Object failure = Codec.decode(body);
        if (!(failure instanceof Throwable)) {
            throw new StreamCorruptedException("malformed chunk outcome: a failure that is a "
                    + (failure == null ? "null" : failure.getClass().getName()));
        }
        return new ChunkOutcome(null, (Throwable) failure);
    }

    private static byte[] tagged(byte tag, byte[] body) {
        byte[] bytes = new byte[body.length + 1];
        bytes[0] = tag;
        System.arraycopy(body, 0, bytes, 1, body.length);
        return bytes;
    }

    private static Throwable portable(Throwable failure) {
        Throwable cause = failure.getCause() != null && failure.getCause() != failure ? portable(failure.getCause()) : null;
        return new RemoteTaskException(failure.getClass().getName(), failure.getMessage(), failure.getStackTrace(), cause);
    }
}
