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
    static final int BATCH = 20_000;

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

    /** One per worker: a shared one would let a quick worker take a second batch's start from a slow one. */
    private final List<Semaphore> go = new ArrayList<>();
    private final Semaphore done = new Semaphore(0);
    private final Queue<Object> queue = new Queue<>();
    private final List<ChildProcess> workers = new ArrayList<>();

    QueuePipeline(int producers, int consumers, Payload payload) {
        Queue<Object> shared = queue;
        Semaphore finished = done;
        int perProducer = BATCH / producers;
        int perConsumer = BATCH / consumers;
        for (int w = 0; w < producers + consumers; w++) {
            Semaphore start = new Semaphore(0);
            go.add(start);
            workers.add(w < producers
                    ? new ChildProcess(() -> produce(shared, start, finished, perProducer, payload), "producer", true)
                    : new ChildProcess(() -> consume(shared, start, finished, perConsumer), "consumer", true));
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
        for (Semaphore start : go) {
            start.release();
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
