package io.multiprocessing4j.queues;

import io.multiprocessing4j.sharedmemory.SharedMemory;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs with a 2 MiB tmpfs on /dev/shm (see {@link QueueShmFullTest}): puts on queues that cannot
 * all keep their messages in /dev/shm at once, reporting each outcome; then exits with messages
 * still in a queue.
 */
public final class QueueShmFullMain {
    private static final int LARGE = 400 << 10;

    private QueueShmFullMain() {
    }

    public static void main(String[] args) throws Exception {
        FileStore devShm = Files.getFileStore(Path.of("/dev/shm"));
        SharedMemory block = SharedMemory.create(1 << 20);
        block.buf().put(new byte[1 << 20]);
        long usedWhileOpen = devShm.getTotalSpace() - devShm.getUsableSpace();
        block.close();
        block.unlink();
        long usedAfterClose = devShm.getTotalSpace() - devShm.getUsableSpace();
        SeparateJvm.report("SHM_FREED_KIB", (usedWhileOpen - usedAfterClose) >> 10);

        // An unbounded queue that cannot grow: /dev/shm nearly full of a block.
        SharedMemory filler = SharedMemory.create(1600 << 10);
        filler.buf().put(new byte[1600 << 10]);
        try (Queue<Integer> small = new Queue<>(0, 4096)) {
            int inRing = 0;
            while (small.offer(inRing)) {
                inRing++;
            }
            SeparateJvm.report("RING_HELD", inRing);
            long start = System.nanoTime();
            try {
                small.put(inRing, Duration.ofMillis(300));
                SeparateJvm.report("GROW_REFUSED", "put");
            } catch (Full e) {
                SeparateJvm.report("GROW_REFUSED", "Full after " + millisSince(start) + " ms: " + e.getMessage());
            }
            filler.close();
            filler.unlink(); // frees its memory at once: the queue can grow again
            start = System.nanoTime();
            small.put(inRing, Duration.ofSeconds(10));
            SeparateJvm.report("GROWN_AFTER_FREE_MS", millisSince(start));
            boolean inOrder = true;
            for (int i = 0; i <= inRing; i++) {
                inOrder &= small.get(Duration.ofSeconds(10)) == i;
            }
            SeparateJvm.report("GROWN_IN_ORDER", inOrder && small.isEmpty());
        }

        Queue<byte[]> queue = new Queue<>(0, 4096);
        try {
            queue.put(new byte[3 << 20]);
            SeparateJvm.report("HUGE", "put");
        } catch (UncheckedIOException e) {
            SeparateJvm.report("HUGE", e.getMessage());
        }
        SeparateJvm.report("EMPTY_AFTER_HUGE", queue.isEmpty());

        // Three large messages leave a quarter of /dev/shm free; a fourth would not.
        for (int i = 0; i < 3; i++) {
            queue.put(large(i), Duration.ofSeconds(10));
        }
        long began = System.nanoTime();
        try {
            queue.put(large(3), Duration.ofMillis(300));
            SeparateJvm.report("TIMED_FOURTH", "put");
        } catch (Full e) {
            SeparateJvm.report("TIMED_FOURTH", "Full after " + millisSince(began) + " ms: " + e.getMessage());
        }
        SeparateJvm.report("OFFER_FOURTH", queue.offer(large(3)));
        try {
            queue.add(large(3));
            SeparateJvm.report("ADD_FOURTH", "added");
        } catch (IllegalStateException e) {
            SeparateJvm.report("ADD_FOURTH", e.getMessage());
        }
        // Small messages still go in, past the ring (the queue grows by small chunks), at once.
        for (int i = 0; i < 100; i++) {
            queue.put(new byte[] {(byte) (10 + i)}, Duration.ofSeconds(10));
        }
        SeparateJvm.report("HELD", queue.qsize());

        // A blocking put waits for room, and goes in once a get has made some.
        CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try {
                queue.put(large(3));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return millisSince(start);
        });
        TimeUnit.MILLISECONDS.sleep(500);
        SeparateJvm.report("BLOCKED_WHILE_FULL", !blocked.isDone());
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 104; i++) {
            byte[] message = queue.get(Duration.ofSeconds(30));
            order.append(message.length == LARGE ? "L" + message[0] : String.valueOf(message[0] - 10)).append(' ');
        }
        SeparateJvm.report("BLOCKED_PUT_WAITED_MS", blocked.get(30, TimeUnit.SECONDS));
        SeparateJvm.report("RECEIVED", order.toString().trim());

        Queue<byte[]> bounded = new Queue<>(100, 4096);
        bounded.put(new byte[LARGE]);
        bounded.put(new byte[LARGE]);
        bounded.put(new byte[LARGE]);
        began = System.nanoTime();
        try {
            bounded.put(new byte[LARGE], Duration.ofMillis(300));
            SeparateJvm.report("BOUNDED_FOURTH", "put");
        } catch (Full e) {
            SeparateJvm.report("BOUNDED_FOURTH", "Full after " + millisSince(began) + " ms");
        }
        bounded.get();
        bounded.put(new byte[LARGE], Duration.ofSeconds(10));
        SeparateJvm.report("BOUNDED_AFTER_GET", bounded.qsize());
        bounded.clear();
        bounded.close();

        // Exit with messages in the queue, nobody reading: nothing to wait for.
        for (int i = 0; i < 2000; i++) {
            queue.put(new byte[] {1, 2, 3});
        }
        SeparateJvm.report("LEFT_IN_QUEUE", queue.qsize());
        SeparateJvm.ready();
    }

    private static byte[] large(int tag) {
        byte[] message = new byte[LARGE];
        message[0] = (byte) tag;
        return message;
    }

    private static long millisSince(long began) {
        return (System.nanoTime() - began) / 1_000_000;
    }
}
