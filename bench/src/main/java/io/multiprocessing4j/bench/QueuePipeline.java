package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.synchronize.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Producer and consumer processes around one {@link Queue}, run a batch at a time: each producer
 * puts its share of {@link #BATCH} messages, each consumer gets its share, and a batch ends when
 * every consumer has all of its share. The benchmark process only starts batches and waits for them,
 * so the score is the end-to-end rate of messages through the queue between processes.
 * bench/compare/queues.py measures CPython's {@code multiprocessing.Queue} the same way.
 */
final class QueuePipeline {
    /** Messages per batch, over all producers. */
    static final int BATCH = 200_000;

    /** What the producers put. */
    enum Payload {
        /** The loop counter, a small Integer. */
        SMALL_INT,
        /** A 1 KiB byte array. */
        KIB;

        static Payload named(String name) {
            switch (name) {
                case "int":
                    return SMALL_INT;
                case "kib":
                    return KIB;
                default:
                    throw new IllegalArgumentException("no payload " + name + "; there are int and kib");
            }
        }
    }

    private final Semaphore go = new Semaphore(0);
    private final Semaphore done = new Semaphore(0);
    private final Queue<Object> queue = new Queue<>();
    private final List<ChildProcess> workers = new ArrayList<>();

    QueuePipeline(int producers, int consumers, Payload payload) {
        Queue<Object> shared = queue;
        Semaphore start = go;
        Semaphore finished = done;
        int perProducer = BATCH / producers;
        int perConsumer = BATCH / consumers;
        for (int p = 0; p < producers; p++) {
            workers.add(new ChildProcess(() -> produce(shared, start, finished, perProducer, payload), "producer", true));
        }
        for (int c = 0; c < consumers; c++) {
            workers.add(new ChildProcess(() -> consume(shared, start, finished, perConsumer), "consumer", true));
        }
        workers.forEach(ChildProcess::start);
    }

    static void produce(Queue<Object> queue, Semaphore go, Semaphore done, int count, Payload payload)
            throws InterruptedException {
        byte[] kib = new byte[1024];
        while (true) {
            go.acquire();
            for (int i = 0; i < count; i++) {
                queue.put(payload == Payload.KIB ? kib : (Object) i);
            }
            done.release();
        }
    }

    static void consume(Queue<Object> queue, Semaphore go, Semaphore done, int count) throws InterruptedException {
        while (true) {
            go.acquire();
            for (int i = 0; i < count; i++) {
                queue.get();
            }
            done.release();
        }
    }

    void runBatch() throws InterruptedException {
        for (int i = 0; i < workers.size(); i++) {
            go.release();
        }
        for (int i = 0; i < workers.size(); i++) {
            done.acquire();
        }
    }

    void stop() throws InterruptedException {
        for (ChildProcess worker : workers) {
            worker.kill();
        }
        for (ChildProcess worker : workers) {
            worker.join(Duration.ofSeconds(10));
            worker.close();
        }
        queue.cancelJoinThread();
        queue.close();
    }
}
