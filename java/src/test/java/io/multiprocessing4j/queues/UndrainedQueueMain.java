package io.multiprocessing4j.queues;

import io.multiprocessing4j.support.SeparateJvm;

/**
 * Adds 100,000 messages to a queue nobody drains (its ring far too small for them), says so, then
 * either returns from main ("return") or waits to be stopped ("wait"): see {@link UndrainedQueueExitTest}.
 */
public final class UndrainedQueueMain {
    static final int COUNT = 100_000;

    private UndrainedQueueMain() {
    }

    public static void main(String[] args) throws Exception {
        Queue<Integer> queue = new Queue<>(0, 64 * 1024);
        for (int i = 0; i < COUNT; i++) {
            queue.add(i);
        }
        SeparateJvm.report("QSIZE", queue.qsize());
        SeparateJvm.ready();
        if (args[0].equals("wait")) {
            Thread.sleep(600_000);
        }
    }
}
