package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.function.PoolInitializer;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.connection.MessageChannel;
import io.multiprocessing4j.internal.connection.Transport;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.transfer.CarriedFd;

/**
 * Starts one worker process: returns the parent's handle of it, with the parent's end of a
 * socketpair whose other end the worker's target carries (so the worker needs no address to
 * connect to, and nobody else can reach the pool), or throws {@link ProcessStartException}. Runs
 * in a thread of its own, never in the pool's result collector: a JVM takes tens of milliseconds
 * to boot.
 */
final class WorkerLauncher {
    private WorkerLauncher() {
    }

    /**
     * A pool of {@code size} workers is about to start some: under {@code warm}, the spares are
     * asked to grow to that many, so that the pool's next starts (its replacements, or the next
     * pool of the same size) each find one ready.
     */
    static void expectStarts(ProcessContext context, int size) {
        context.warmUp(size);
    }

    static WorkerHandle launch(String name, ProcessContext context, int maxTasksPerChild, PoolInitializer initializer) {
        int[] pair = {-1, -1};
        try {
            Sockets.socketpair(pair);
        } catch (SystemCallException e) {
            throw new ProcessStartException("cannot start " + name + ": no socketpair to the pool: " + e.getMessage(), e);
        }
        MessageChannel poolEnd = new MessageChannel(new OwnedFd(pair[0]), Transport.UNIX_SOCKET, true, true);
        poolEnd.setMaxMessageSize(Long.MAX_VALUE); // the pool's own channel: results as large as they come
        CarriedFd workerEnd = CarriedFd.of(new OwnedFd(pair[1]));
        boolean launched = false;
        try {
            ChildProcess process = ChildProcess.builder(target(workerEnd, maxTasksPerChild, initializer)).name(name)
                    .daemon(true).context(context).build();
            process.start();
            WorkerHandle worker = new WorkerHandle(name, process, poolEnd, maxTasksPerChild);
            launched = true;
            return worker;
        } finally {
            // The worker has its own copy now: ours would keep the worker's end open after it died.
            workerEnd.close();
            if (!launched) {
                poolEnd.close();
            }
        }
    }

    /**
     * The worker's target. Without an initializer it holds plain values and its end of the
     * socketpair, so it travels in the compact form (no Java serialization at boot; see
     * LambdaCodec). The initializer travels inside it, as Python's initargs are inherited: so it
     * may capture locks, shared values and connections, which then reach every worker. (A
     * spare's rehearsal decodes one too: {@link WorkerMain#rehearse}.)
     */
    static ProcessTarget target(CarriedFd pool, int maxTasks, PoolInitializer initializer) {
        return () -> WorkerMain.serve(pool, maxTasks, initializer);
    }
}
