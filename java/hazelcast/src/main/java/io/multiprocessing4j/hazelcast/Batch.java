package io.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import io.multiprocessing4j.hazelcast.internal.BatchAnswer;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

/**
 * Chunks sent to one member as one Hazelcast task: of one job, or of several calls of the same
 * function ({@link #job} is the first chunk's, whose function and kind they share). Its state is guarded by its
 * {@link Dispatcher}'s lock.
 */
final class Batch {
    final Job job;
    final List<Chunk> chunks;
    final Member member;
    final int items;

    // Guarded by the dispatcher's lock.
    /** The invocation, once sent. */
    Future<BatchAnswer> future;
    /** Cancel the invocation as soon as it is sent (it was cancelled before). */
    boolean cancelWhenSent;
    boolean interruptWhenCancelled;
    /** Its member's slot is released: its answer, if one still comes, changes nothing. */
    boolean over;
    ScheduledFuture<?> timeout;

    Batch(Job job, List<Chunk> chunks, Member member) {
        this.job = job;
        this.chunks = chunks;
        this.member = member;
        int total = 0;
        for (Chunk chunk : chunks) {
            total += chunk.size;
        }
        this.items = total;
    }
}
