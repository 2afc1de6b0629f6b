package io.multiprocessing4j.queues;

/** A bounded {@link Queue}, against the {@link java.util.concurrent.BlockingQueue} contract ({@link BlockingQueueContract}). */
class BoundedQueueContractTest extends BlockingQueueContract.Contract {
    @Override
    Queue<Integer> newQueue() {
        return new Queue<>(BlockingQueueContract.SIZE);
    }
}
