package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.SharedCleaner;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import java.lang.ref.Cleaner;
import java.util.Arrays;

/**
 * File descriptors that arrived on a socket (SCM_RIGHTS) and wait for the message that announced
 * them. They arrive with the first byte of their message, so they are queued in arrival order and
 * taken in message order. Whatever is still queued when the connection closes, or when its owner
 * is dropped, is closed: a received fd never leaks.
 */
final class ReceivedFds {
    /** More than this waiting unclaimed means the peer sends fds without messages for them. */
    static final int LIMIT = 1024;

    private final Queue queue = new Queue();
    private final Cleaner.Cleanable cleanable;

    ReceivedFds(Object owner) {
        this.cleanable = SharedCleaner.INSTANCE.register(owner, queue);
    }

    /**
     * Queues {@code count} fds from {@code source[from..]}. Returns false, having closed them, beyond
     * {@link #LIMIT} or once {@link #closeAll()} ran.
     */
    boolean add(int[] source, int from, int count) {
        return queue.add(source, from, count);
    }

    int size() {
        return queue.size();
    }

    /** Takes the oldest {@code count} fds; the caller owns them. */
    int[] take(int count) {
        return queue.take(count);
    }

    void closeAll() {
        cleanable.clean();
    }

    /** Kept apart from the owner so that the Cleaner does not keep it reachable. */
    private static final class Queue implements Runnable {
        private int[] fds = new int[0];
        private int count;
        private boolean closed;

        synchronized boolean add(int[] source, int from, int added) {
            if (closed || count + added > LIMIT) {
                for (int i = 0; i < added; i++) {
                    FileDescriptors.closeQuietly(source[from + i]);
                }
                return false;
            }
            if (count + added > fds.length) {
                fds = Arrays.copyOf(fds, Math.max(count + added, fds.length * 2));
            }
            System.arraycopy(source, from, fds, count, added);
            count += added;
            return true;
        }

        synchronized int size() {
            return count;
        }

        synchronized int[] take(int wanted) {
            int[] taken = Arrays.copyOf(fds, wanted);
            System.arraycopy(fds, wanted, fds, 0, count - wanted);
            count -= wanted;
            return taken;
        }

        @Override
        public synchronized void run() {
            closed = true;
            for (int i = 0; i < count; i++) {
                FileDescriptors.closeQuietly(fds[i]);
            }
            count = 0;
        }
    }
}
