package io.multiprocessing4j.internal.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * At exit, a process waits until every message it put is in its queue's ring, as a Python process
 * joins its queues' feeder threads: a producer that returns right after its last put has all its
 * messages delivered. One shutdown hook, registered when the first feeder starts; it covers a normal
 * end of {@code main}, a child's target returning, and {@code System.exit}. A queue whose
 * {@code cancelJoinThread()} was called is not waited for.
 *
 * <p>As in Python, this waits for a reader: if no process ever takes the messages, the exit waits
 * for ever. Unlike Python, it says so on stderr while it waits.
 */
final class ExitFlush {
    private static final long FIRST_NOTICE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long NOTICE_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final Set<Feeder> FEEDERS = ConcurrentHashMap.newKeySet();
    private static boolean hooked;

    private ExitFlush() {
    }

    static void watch(Feeder feeder) {
        synchronized (ExitFlush.class) {
            if (!hooked) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(ExitFlush::flushAll, "multiprocessing4j-queue-exit"));
                    hooked = true;
                } catch (IllegalStateException alreadyExiting) {
                    return; // too late to wait for anything
                }
            }
        }
        FEEDERS.add(feeder);
    }

    static void forget(Feeder feeder) {
        FEEDERS.remove(feeder);
    }

    private static void flushAll() {
        long began = System.nanoTime();
        long nextNotice = began + FIRST_NOTICE_NANOS;
        try {
            while (true) {
                List<Feeder> left = new ArrayList<>(FEEDERS);
                left.removeIf(feeder -> feeder.waiting() == 0 || feeder.isJoinCancelled());
                if (left.isEmpty()) {
                    return;
                }
                left.get(0).awaitFlushed(TimeUnit.MILLISECONDS.toNanos(100));
                if (System.nanoTime() - nextNotice >= 0) {
                    nextNotice = System.nanoTime() + NOTICE_PERIOD_NANOS;
                    System.err.println("multiprocessing4j: exit waits for messages this process put to enter their"
                            + " queue (" + left + "); is any process reading? Queue.cancelJoinThread() lets a"
                            + " process exit without them");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
