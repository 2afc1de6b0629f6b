package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.connection.ReadinessWait;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool's result collector: one thread that sleeps in a single poll(2) of its own on every worker's
 * connection, every worker's sentinel (pidfd) and the wake-up pipe, until the next task deadline.
 * It reads answers (without the pool's lock), then, under the lock, hands them to their jobs and
 * deals with workers that died; before it sleeps again, it kills workers that overran, starts
 * replacements, and gives out more tasks.
 *
 * <p>It never blocks on a worker: it only reads what a worker has sent (and a dead worker's
 * connection to its end), and the pool never sends more than the socket takes without blocking.
 * It runs no user code: results are decoded by whoever asks for them, callbacks run on the
 * callback thread.
 */
final class Supervisor extends Thread {
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());
    private final PoolCore core;

    Supervisor(PoolCore core) {
        super(core.name + "-supervisor");
        this.core = core;
        setDaemon(true);
    }

    @Override
    public void run() {
        try {
            superviseUntilFinished();
        } catch (Throwable bug) {
            LOG.log(Level.ERROR, getName() + ": internal error; terminating the pool", bug);
            core.failEverything(bug);
            reapAfterFailure();
        } finally {
            core.wakeup.close();
            core.finish();
        }
    }

    private void superviseUntilFinished() throws IOException {
        while (true) {
            List<WorkerHandle> watched;
            long timeout;
            core.lock.lock();
            try {
                core.lifecycle.maintainSize();
                core.lifecycle.failQueuedIfBroken();
                core.dispatch();
                // Deadlines are computed here, under the lock that submitters also take, right
                // before the sleep flag is raised: a task handed out after this wakes the poll.
                long now = System.nanoTime();
                long nextDeadline = core.events.checkDeadlines(now);
                if (core.lifecycle.progress()) {
                    return;
                }
                watched = core.workers.snapshot();
                timeout = nextDeadline == Long.MAX_VALUE ? -1 : Math.max(0, nextDeadline - now);
                core.wakeup.beforeSleep();
            } finally {
                core.lock.unlock();
            }
            core.flushOutboxes();
            // Targets: the wake-up pipe, then per worker its connection (unless at its end) and its sentinel.
            List<Object> targets = new ArrayList<>(1 + 2 * watched.size());
            targets.add(core.wakeup.fd());
            int[] connectionAt = new int[watched.size()];
            int[] sentinelAt = new int[watched.size()];
            for (int i = 0; i < watched.size(); i++) {
                WorkerHandle worker = watched.get(i);
                connectionAt[i] = -1;
                if (!worker.atEndOfInput()) {
                    connectionAt[i] = targets.size();
                    targets.add(worker.channel);
                }
                sentinelAt[i] = targets.size();
                targets.add(worker.sentinel);
            }
            // In poll(2) on this thread: nothing interrupts it, and a wake-up is one hop.
            boolean[] ready = ReadinessWait.awaitInKernel(targets.toArray(), timeout);
            core.wakeup.afterSleep(ready[0]);

            List<WorkerHandle> from = new ArrayList<>();
            List<byte[]> messages = new ArrayList<>();
            List<WorkerHandle> exited = new ArrayList<>();
            for (int i = 0; i < watched.size(); i++) {
                WorkerHandle worker = watched.get(i);
                boolean ended = ready[sentinelAt[i]];
                if ((connectionAt[i] >= 0 && ready[connectionAt[i]]) || (ended && !worker.atEndOfInput())) {
                    worker.readInto(ended, from, messages);
                }
                if (ended) {
                    exited.add(worker);
                }
            }

            core.lock.lock();
            try {
                long now = System.nanoTime();
                for (int i = 0; i < messages.size(); i++) {
                    core.events.message(from.get(i), messages.get(i), now);
                }
                for (WorkerHandle worker : exited) {
                    core.events.exited(worker);
                }
            } finally {
                core.lock.unlock();
            }
        }
    }

    /** After an internal error: wait (bounded) for the killed workers, so that join() returns. */
    private void reapAfterFailure() {
        for (WorkerHandle worker : core.workers.snapshot()) {
            try {
                worker.process.join(Duration.ofSeconds(10));
                worker.channel.close();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException ignored) {
                // nothing more can be done for it
            }
        }
    }
}
