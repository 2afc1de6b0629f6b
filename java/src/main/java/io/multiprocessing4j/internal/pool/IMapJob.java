package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.util.concurrent.CancellationException;

/** An imap or imapUnordered: each chunk's answer goes to the iterator as it arrives. */
final class IMapJob<R> extends Job {
    final IMapState<R> state;

    IMapJob(PoolCore pool, Object owner, FunctionEntry function, boolean ordered) {
        super(pool, function, null);
        this.state = new IMapState<>(ordered, owner);
    }

    @Override
    void taskDone(Task task, Outcome outcome) {
        state.deliver(task.index, outcome);
    }

    /** An imap has no single result to cancel: its iterator goes on with what it has. */
    @Override
    boolean resolveCancelled() {
        return false;
    }

    /** The chunk's place in the iterator says it was cancelled. */
    @Override
    void onTerminated(Task task) {
        state.deliver(task.index, Outcome.failure(new CancellationException("the pool was terminated")));
    }
}
