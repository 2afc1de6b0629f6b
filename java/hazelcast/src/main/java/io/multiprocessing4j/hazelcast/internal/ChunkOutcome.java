package io.multiprocessing4j.hazelcast.internal;

import java.io.Serializable;
import java.util.List;

/** What a chunk answered: its values in order, or the exception one of its items threw. */
public final class ChunkOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Object> values;
    private final Throwable failure;

    public ChunkOutcome(List<Object> values, Throwable failure) {
        this.values = values;
        this.failure = failure;
    }

    public List<Object> values() {
        return values;
    }

    public Throwable failure() {
        return failure;
    }
}
