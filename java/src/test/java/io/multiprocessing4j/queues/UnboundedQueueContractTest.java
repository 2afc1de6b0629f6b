package io.multiprocessing4j.queues;

/** An unbounded {@link Queue} whose ring (about 250 small records) is small enough to grow, against the {@link java.util.concurrent.BlockingQueue} contract ({@link BlockingQueueContract}). */
class UnboundedQueueContractTest extends BlockingQueueContract.Contract {
    @Override
    Queue<Integer> newQueue() {
        return new Queue<>(0, 4096);
    }
}
