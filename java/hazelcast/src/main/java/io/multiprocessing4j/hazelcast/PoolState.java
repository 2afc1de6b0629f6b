package io.multiprocessing4j.hazelcast;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A cluster pool's state (running, shut down, terminated) and its unfinished jobs, which
 * {@code join} and {@code awaitTermination} wait for.
 */
final class PoolState {
    private static final int RUNNING = 0;
    private static final int SHUT_DOWN = 1;
    private static final int TERMINATED = 2;

    private final Set<Job> activeJobs = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private int state = RUNNING; // guarded by lock

    /** Registers a job; an {@link IllegalStateException} if the pool no longer takes work. */
    void admit(Job job) {
        synchronized (lock) {
            if (state != RUNNING) {
                throw new IllegalStateException("Pool not running");
            }
            activeJobs.add(job);
        }
    }

    void ended(Job job) {
        activeJobs.remove(job);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    void shutDown() {
        synchronized (lock) {
            if (state == RUNNING) {
                state = SHUT_DOWN;
            }
            lock.notifyAll();
        }
    }

    /** Marks the pool terminated; returns the jobs unfinished now, for the caller to cancel. */
    List<Job> terminate() {
        synchronized (lock) {
            state = TERMINATED;
            lock.notifyAll();
        }
        return new ArrayList<>(activeJobs);
    }

    /** Waits until every job has ended; an {@link IllegalStateException} if the pool still runs. */
    void awaitJobs() throws InterruptedException {
        synchronized (lock) {
            if (state == RUNNING) {
                throw new IllegalStateException("Pool is still running");
            }
            while (!activeJobs.isEmpty()) {
                lock.wait(100); // a job's end notifies; the bound covers a notify raced past
            }
        }
    }

    boolean isRunning() {
        synchronized (lock) {
            return state == RUNNING;
        }
    }

    boolean isTerminated() {
        synchronized (lock) {
            return state != RUNNING && activeJobs.isEmpty();
        }
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            while (state == RUNNING || !activeJobs.isEmpty()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        }
    }
}
