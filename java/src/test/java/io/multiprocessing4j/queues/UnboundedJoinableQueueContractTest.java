package io.multiprocessing4j.queues;

/** An unbounded {@link JoinableQueue} whose ring is small enough to grow, against the {@link java.util.concurrent.BlockingQueue} contract ({@link BlockingQueueContract}). */
class UnboundedJoinableQueueContractTest extends BlockingQueueContract.Contract {
    @Override
    Queue<Integer> newQueue() {
        return new JoinableQueue<>(0, 4096);
    }
}
