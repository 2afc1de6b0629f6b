package io.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.List;

/**
 * References this process took or gave back without a round trip of their own (a proxy arrived,
 * or the Cleaner released one), waiting for the next request to carry them to the server,
 * acquires first. Its own monitor guards it, never held across I/O: a Cleaner thread and a
 * thread deserializing a proxy must never wait for a socket.
 */
final class PendingReferences {
    private final List<Long> acquires = new ArrayList<>();
    private final List<Long> releases = new ArrayList<>();

    /** What one request carries: the ids acquired and released, each null if none. */
    static final class Batch {
        final long[] acquired;
        final long[] released;

        Batch(long[] acquired, long[] released) {
            this.acquired = acquired;
            this.released = released;
        }
    }

    synchronized void acquire(long id) {
        acquires.add(id);
    }

    synchronized void release(long id) {
        releases.add(id);
    }

    synchronized boolean isEmpty() {
        return acquires.isEmpty() && releases.isEmpty();
    }

    /** Takes everything queued, for the request about to be sent. */
    synchronized Batch takeAll() {
        return new Batch(take(acquires), take(releases));
    }

    /** The request could not be sent: its references go with the next one, ahead of any queued since. */
    synchronized void putBack(Batch batch) {
        putBack(batch.acquired, acquires);
        putBack(batch.released, releases);
    }

    private static long[] take(List<Long> queue) {
        if (queue.isEmpty()) {
            return null;
        }
        long[] ids = queue.stream().mapToLong(Long::longValue).toArray();
        queue.clear();
        return ids;
    }

    private static void putBack(long[] ids, List<Long> queue) {
        if (ids != null) {
            for (int i = ids.length - 1; i >= 0; i--) {
                queue.add(0, ids[i]);
            }
        }
    }
}
