package io.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;

/**
 * A chunk of a job: its items, encoded when the job was submitted (so that an item that cannot be
 * serialized is refused in the caller), and where it is in its dispatch. Its state is guarded by
 * its {@link Dispatcher}'s lock; a chunk is settled (answered, failed or cancelled) once.
 */
final class Chunk {
    final Job job;
    final int index;
    final byte[] items;
    final int size;

    // Guarded by the dispatcher's lock.
    /** Answered, failed or cancelled: nothing more happens to it. */
    boolean settled;
    /** The batch running it, or null while it waits. */
    Batch batch;
    /** How many times it was sent (a chunk lost with its member may be sent once more). */
    int runs;
    /** The member it was lost with, if it waits to run once more. */
    Member lostFrom;

    Chunk(Job job, int index, byte[] items, int size) {
        this.job = job;
        this.index = index;
        this.items = items;
        this.size = size;
    }
}
