package io.multiprocessing4j.internal.queue;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * What lets {@code put} on an unbounded queue return at once when the ring is full: the messages
 * this process could not publish wait here, in its heap, and a background thread moves them into
 * the ring as room appears. Python's feeder thread, with a difference: Python hands every message
 * to its thread, this class only those that do not fit right away. While nothing waits here, a put
 * goes straight into the ring in the caller's thread.
 *
 * <p>Order: once a message waits here, every later put of this process waits behind it, so the
 * messages of a producer arrive in the order it put them.
 *
 * <p>The thread is a daemon started on demand, and it ends as soon as nothing waits. At exit, the
 * process waits until what waits here is in the ring ({@link ExitFlush}), as a Python process
 * joins its feeder threads, unless {@link #cancelJoin()} said not to.
 */
public final class Feeder {
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final MessageRing ring;
    private final String queue;
    // Guarded by this.
    private final ArrayDeque<OutgoingMessage> pending = new ArrayDeque<>();
    private Thread thread;
    private boolean joinCancelled;
    private Runnable whenFlushed;
    /** pending.size(), readable without the monitor: the common put checks it and nothing else. */
    private volatile int waiting;

    public Feeder(MessageRing ring, String queue) {
        this.ring = ring;
        this.queue = queue;
    }

    /** Puts {@code message} into the ring now if that is possible and keeps order; otherwise keeps it here. */
    public void put(OutgoingMessage message) {
        if (waiting == 0 && ring.tryPut(message)) {
            return;
        }
        synchronized (this) {
            pending.addLast(message);
            waiting = pending.size();
            if (thread == null) {
                thread = new Thread(this::feed, "multiprocessing4j-feeder[" + queue + "]");
                thread.setDaemon(true);
                if (!joinCancelled) {
                    ExitFlush.watch(this);
                }
                thread.start();
            }
        }
    }

    /** Messages of this process not yet in the ring. */
    public int waiting() {
        return waiting;
    }

    /** Python's {@code cancel_join_thread()}: this process will not wait for them at exit. */
    public synchronized void cancelJoin() {
        joinCancelled = true;
        ExitFlush.forget(this);
    }

    public synchronized boolean isJoinCancelled() {
        return joinCancelled;
    }

    /** Waits until nothing of this process waits to enter the ring, at most {@code timeoutNanos}; whether it is so. */
    public synchronized boolean awaitFlushed(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Runs {@code action} once nothing waits here any more: now, or when the thread is done. */
    public void whenFlushed(Runnable action) {
        synchronized (this) {
            if (!pending.isEmpty()) {
                whenFlushed = action;
                return;
            }
        }
        action.run();
    }

    private void feed() {
        boolean warned = false;
        while (true) {
            OutgoingMessage next;
            synchronized (this) {
                next = pending.peekFirst();
                if (next == null) {
                    finish();
                    return;
                }
            }
            try {
                ring.put(next, -1, false);
            } catch (UncheckedIOException e) {
                // Out of room in /dev/shm for a large message: it stays first in line, and is tried again.
                if (!warned) {
                    warned = true;
                    System.err.println("multiprocessing4j: a message of " + queue + " waits for room in shared memory: "
                            + e.getMessage() + " (retrying)");
                }
                sleepQuietly(RETRY_NANOS);
                continue;
            } catch (InterruptedException | RuntimeException | Error e) {
                dropEverything(e);
                return;
            }
            synchronized (this) {
                pending.removeFirst();
                waiting = pending.size();
                notifyAll();
            }
        }
    }

    /** Called with the monitor held when nothing is left. */
    private void finish() {
        thread = null;
        waiting = 0;
        ExitFlush.forget(this);
        notifyAll();
        Runnable action = whenFlushed;
        whenFlushed = null;
        if (action != null) {
            action.run();
        }
    }

    /** A failure that retrying cannot cure: say so loudly rather than lose messages in silence. */
    private void dropEverything(Throwable cause) {
        synchronized (this) {
            System.err.println("multiprocessing4j: " + pending.size() + " message(s) put on " + queue
                    + " by this process cannot be delivered and are dropped:");
            cause.printStackTrace();
            pending.forEach(OutgoingMessage::abandon);
            pending.clear();
            finish();
        }
    }

    private static void sleepQuietly(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "feeder of " + queue + " (" + waiting + " waiting)";
    }
}
