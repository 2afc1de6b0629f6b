package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a task goes. To an idle worker if there is one; otherwise it may be queued behind the task
 * a worker is on ("pipelining"), which saves the worker a round trip of idleness per task and lets
 * many small tasks leave in one message, but only within bounds: the work queued at a worker (as
 * estimated from what the function's recent tasks took, and counting the task the worker is on as
 * at least as long as it has already run) stays under {@link #PIPELINE_NANOS}, so a slow task never
 * makes much work wait behind it while another worker idles; and the bytes a worker has not begun
 * to read stay under {@link #SOCKET_BUDGET}, well within what the socket buffers, so sending never
 * blocks on a busy worker. A task of a function not yet measured only goes to an idle worker.
 */
final class TaskPlacement {
    /** The socket memory one message takes beyond its bytes (kernel bookkeeping), for the budget below. */
    static final long MESSAGE_OVERHEAD = 1024;
    /** Bytes a worker may have waiting unread; the kernel's default socket buffer is about 208 KiB. */
    static final long SOCKET_BUDGET = 64 * 1024;
    /** At most this many tasks at one worker. */
    static final int MAX_IN_FLIGHT = 256;
    /** The estimated work that may wait at a worker behind the task it is on. */
    static final long PIPELINE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private TaskPlacement() {
    }

    /** The worker {@code task} should go to now, or null if it must wait in the queue. Under the pool's lock. */
    static WorkerHandle choose(List<WorkerHandle> workers, Task task, long now) {
        WorkerHandle best = null;
        long bestLoad = Long.MAX_VALUE;
        for (WorkerHandle worker : workers) {
            if (!worker.takesTasks()) {
                continue;
            }
            if (worker.isIdle()) {
                return worker;
            }
            long load = queuedWork(worker, now);
            if (load < bestLoad && canQueueAt(worker, task, load)) {
                best = worker;
                bestLoad = load;
            }
        }
        return best;
    }

    /**
     * The estimated work at a busy worker: what is left of the task it is on (at least its
     * estimate; longer if it has already run longer: a task overrunning its estimate is a sign
     * that nothing more should wait behind it), plus what waits behind it. UNKNOWN if its task
     * is of a function not yet measured.
     */
    private static long queuedWork(WorkerHandle worker, long now) {
        long headEstimate = worker.headEstimate();
        if (headEstimate == FunctionEntry.UNKNOWN) {
            return FunctionEntry.UNKNOWN;
        }
        return Math.max(headEstimate, now - worker.headStarted()) + worker.queuedEstimate();
    }

    /** Whether {@code task} may wait at the busy {@code worker} with {@code load} queued (see the class comment). */
    private static boolean canQueueAt(WorkerHandle worker, Task task, long load) {
        long estimate = task.job.function.estimate(task.items);
        if (worker.inFlightCount() >= MAX_IN_FLIGHT || load == FunctionEntry.UNKNOWN
                || estimate == FunctionEntry.UNKNOWN) {
            return false;
        }
        if (load + estimate > PIPELINE_NANOS) {
            return false;
        }
        long bytes = worker.pendingBytes() + task.record().length + (worker.hasStaged() ? 0 : MESSAGE_OVERHEAD);
        return bytes <= SOCKET_BUDGET;
    }
}
