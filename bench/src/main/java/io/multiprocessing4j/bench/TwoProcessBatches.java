package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.synchronize.Semaphore;
import java.time.Duration;

/**
 * Runs a batch of work in a helper process at the same time as the benchmark thread runs the same
 * batch: {@link #startHelperBatch()}, do the batch, {@link #awaitHelperBatch()}. A benchmark built on
 * it scores the operations of both processes over the time until both are done, so it measures two
 * processes working on the same thing at once, whether the machine runs them side by side or in
 * turns, and not how much of the time a free-running helper happened to be scheduled.
 */
final class TwoProcessBatches {
    /** Operations each process does per batch. */
    static final int BATCH = 100_000;

    /** Work the helper repeats once per batch. */
    @FunctionalInterface
    interface Batch extends java.io.Serializable {
        void run() throws Exception;
    }

    private final Semaphore go = new Semaphore(0);
    private final Semaphore done = new Semaphore(0);
    private final ChildProcess helper;

    TwoProcessBatches(Batch batch) {
        Semaphore start = go;
        Semaphore finished = done;
        ProcessTarget loop = () -> {
            while (true) {
                start.acquire();
                batch.run();
                finished.release();
            }
        };
        helper = new ChildProcess(loop, "batch helper", true);
        helper.start();
    }

    void startHelperBatch() {
        go.release();
    }

    void awaitHelperBatch() throws InterruptedException {
        done.acquire();
    }

    void stop() throws InterruptedException {
        helper.kill();
        helper.join(Duration.ofSeconds(10));
        helper.close();
    }
}
