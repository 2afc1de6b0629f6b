package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.function.PoolInitializer;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.connection.MessageChannel;
import io.multiprocessing4j.internal.process.ExitCodes;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts one worker process and waits until it has connected back: returns the parent's handle of
 * it, or throws {@link ProcessStartException}, leaving no process behind. Runs in a thread of its
 * own, never in the pool's result collector: a JVM takes tens of milliseconds to boot.
 */
final class WorkerLauncher {
    /** After a worker's exit, how long its connection may still take to reach the acceptor. */
    private static final Duration CONNECTED_BEFORE_EXIT_GRACE = Duration.ofSeconds(1);

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

    static WorkerHandle launch(String name, ProcessContext context, WorkerAcceptor acceptor, int maxTasksPerChild,
                               PoolInitializer initializer) throws InterruptedException {
        WorkerAcceptor.Expectation expectation = acceptor.expect();
        ChildProcess process = ChildProcess.builder(target(acceptor.addressBytes(), expectation.token,
                maxTasksPerChild, initializer)).name(name).daemon(true).context(context).build();
        boolean launched = false;
        try {
            process.start();
            MessageChannel connection = awaitConnection(process, expectation.connection, context.bootTimeout());
            WorkerHandle worker = new WorkerHandle(name, process, connection, maxTasksPerChild);
            launched = true;
            return worker;
        } finally {
            if (!launched) {
                acceptor.forget(expectation.token);
                discard(process);
            }
        }
    }

    /**
     * The worker's target. Without an initializer it holds only plain values, so it travels in
     * the compact form (no Java serialization at boot) and carries no fd (so a warm spare can run
     * it). The initializer travels inside it, as Python's initargs are inherited: so it may capture
     * locks, shared values and connections, which then reach every worker. (A spare's rehearsal
     * decodes one too: {@link WorkerMain#rehearse}.)
     */
    static ProcessTarget target(byte[] address, byte[] token, int maxTasks, PoolInitializer initializer) {
        return () -> WorkerMain.serve(address, token, maxTasks, initializer);
    }

    private static MessageChannel awaitConnection(ChildProcess process, CompletableFuture<MessageChannel> connection,
                                              Duration timeout) throws InterruptedException {
        CompletableFuture<ChildProcess> exited = process.onExit();
        try {
            CompletableFuture.anyOf(connection, exited).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ProcessStartException("cannot start " + process.name() + ": it did not connect to its pool within "
                    + timeout);
        } catch (ExecutionException | CancellationException e) {
            // the expectation was cancelled (the pool closed) or the exit future failed: reported below
        }
        if (exited.isDone() && !connection.isDone()) {
            // A worker that connected and then died at once (its initializer exited) may be seen
            // dead before the acceptor has read its token: its connection is on the way, and its
            // death is the pool's to count, not a failed start.
            try {
                connection.get(CONNECTED_BEFORE_EXIT_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException | CancellationException neverConnected) {
                // reported below
            }
        }
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            return connection.join();
        }
        if (exited.isDone()) {
            throw new ProcessStartException("cannot start " + process.name() + ": it exited with code "
                    + ExitCodes.describe(process.exitCode().orElse(Integer.MIN_VALUE))
                    + " before connecting to its pool (see its stderr)");
        }
        throw new ProcessStartException("cannot start " + process.name() + ": the pool was closed meanwhile");
    }

    private static void discard(ChildProcess process) {
        try {
            if (process.isAlive()) {
                process.kill();
            }
            if (process.pid().isPresent()) {
                process.join(Duration.ofSeconds(10));
                process.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // never started, or already closed: nothing to discard
        }
    }
}
