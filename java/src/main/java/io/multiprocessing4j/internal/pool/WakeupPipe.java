package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the pool's result collector from its poll when another thread has news for it (a new
 * deadline, a worker that connected, close or terminate). A byte is written only if the collector
 * is about to sleep or asleep, and at most one per sleep (Netty's event loops do the same), so a
 * busy pool pays nothing for it.
 */
final class WakeupPipe implements AutoCloseable {
    private final OwnedFd readEnd;
    private final OwnedFd writeEnd;
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final byte[] one = {1};
    private final byte[] drain = new byte[64];

    WakeupPipe() throws IOException {
        int[] fds = new int[2];
        FileDescriptors.pipe(fds);
        readEnd = new OwnedFd(fds[0]);
        writeEnd = new OwnedFd(fds[1]);
        try {
            FileDescriptors.setNonBlocking(fds[0], true);
            FileDescriptors.setNonBlocking(fds[1], true);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The fd to poll for readability. */
    int fd() {
        return readEnd.fd();
    }

    /** The collector is going to sleep: from now on, wake-ups write. */
    void beforeSleep() {
        sleeping.set(true);
    }

    /** The collector is awake: reads what woke it, if anything. */
    void afterSleep(boolean readable) {
        sleeping.set(false);
        if (readable) {
            int fd = readEnd.acquire();
            if (fd >= 0) {
                try {
                    FileDescriptors.read(fd, drain, 0, drain.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    readEnd.release();
                }
            }
        }
    }

    /** Wakes the collector if it sleeps (or is about to); any thread. */
    void wake() {
        if (sleeping.getAndSet(false)) {
            int fd = writeEnd.acquire();
            if (fd >= 0) {
                try {
                    FileDescriptors.write(fd, one, 0, 1); // a full pipe already wakes it (WOULD_BLOCK)
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    writeEnd.release();
                }
            }
        }
    }

    @Override
    public void close() {
        writeEnd.close();
        readEnd.close();
    }
}
