package io.multiprocessing4j.queues;

/** A bounded {@link JoinableQueue}, against the {@link java.util.concurrent.BlockingQueue} contract ({@link BlockingQueueContract}). */
class BoundedJoinableQueueContractTest extends BlockingQueueContract.Contract {
    @Override
    Queue<Integer> newQueue() {
        return new JoinableQueue<>(BlockingQueueContract.SIZE);
    }
}
