package io.multiprocessing4j.queues;

import io.multiprocessing4j.support.SeparateJvm;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Runs with a 2 MiB tmpfs on /dev/shm (see {@link QueueShmFullTest}): puts large messages on queues
 * that cannot all keep them in /dev/shm at once, reporting each outcome.
 */
public final class QueueShmFullMain {
    private static final int LARGE = 400 << 10;

    private QueueShmFullMain() {
    }

    public static void main(String[] args) throws Exception {
        Queue<byte[]> queue = new Queue<>(0, 4096);
        try {
            queue.put(new byte[3 << 20]);
            SeparateJvm.report("HUGE", "put");
        } catch (UncheckedIOException e) {
            SeparateJvm.report("HUGE", e.getMessage());
        }
        SeparateJvm.report("EMPTY_AFTER_HUGE", queue.isEmpty());

        for (int i = 0; i < 10; i++) {
            byte[] message = new byte[LARGE];
            message[0] = (byte) i;
            queue.put(message); // 4 MB in all: most must wait in this heap, none may fail
        }
        SeparateJvm.report("HELD_IN_SHM", queue.qsize());
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            byte[] message = queue.get(Duration.ofSeconds(30));
            order.append(message.length == LARGE ? message[0] : -1).append(i < 9 ? "," : "");
        }
        SeparateJvm.report("RECEIVED", order);

        Queue<byte[]> bounded = new Queue<>(100, 4096);
        bounded.put(new byte[LARGE]);
        bounded.put(new byte[LARGE]);
        bounded.put(new byte[LARGE]);
        long began = System.nanoTime();
        try {
            bounded.put(new byte[LARGE], Duration.ofMillis(300));
            SeparateJvm.report("BOUNDED_FOURTH", "put");
        } catch (Full e) {
            SeparateJvm.report("BOUNDED_FOURTH", "Full after " + (System.nanoTime() - began) / 1_000_000 + " ms");
        }
        bounded.get();
        bounded.put(new byte[LARGE], Duration.ofSeconds(10));
        SeparateJvm.report("BOUNDED_AFTER_GET", bounded.qsize());
        bounded.clear();
        queue.close();
        bounded.close();
        SeparateJvm.ready();
    }
}
