package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.managers.EventProxy;
import io.multiprocessing4j.managers.Manager;
import io.multiprocessing4j.managers.QueueProxy;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.synchronize.Condition;
import io.multiprocessing4j.synchronize.Event;
import io.multiprocessing4j.synchronize.Lock;
import io.multiprocessing4j.synchronize.Semaphore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Many virtual threads waiting at once (not a JMH benchmark: JMH on JDK 17 has no virtual threads;
 * run it on JDK 21+, see bench/compare/vthreads). For each primitive: N virtual threads block in
 * it, then one other process releases them all; the time from the release order to the last
 * thread's return, beside the same with the java.util.concurrent counterpart released by another
 * thread of the same JVM. Then the interrupt latency of one blocked virtual thread per primitive.
 *
 * <p>Prints {@code release <primitive> <ours ms> <juc ms>} and {@code interrupt <primitive> <µs>} lines.
 * Arguments: the number of virtual threads (default 10000), of repetitions (default 5; the
 * median is printed), and optionally which primitives to release (comma-separated names as printed,
 * e.g. {@code Lock,Condition}; default all, then the interrupt latencies).
 */
public final class VirtualThreadRelease {
    /** A blocking call of one virtual thread. */
    interface Wait {
        void run() throws Exception;
    }

    /** One run of one primitive: how each thread waits, and the order that makes the releaser act. */
    interface Setup {
        Wait waiter();

        void release() throws Exception;

        void close() throws Exception;
    }

    private static ExecutorService threads;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Set<String> only = args.length > 2 ? Set.of(args[2].split(",")) : null;
        threads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        Map<String, SetupFactory> juc = new LinkedHashMap<>();
        juc.put("Event", () -> jucEvent());
        juc.put("Semaphore", () -> jucSemaphore(n));
        juc.put("Lock", () -> jucLock());
        juc.put("Condition", () -> jucCondition());
        juc.put("Queue.get", () -> jucQueue(n));
        if (only != null && !juc.keySet().containsAll(only)) {
            throw new IllegalArgumentException("primitives are " + juc.keySet() + ", not " + only);
        }
        for (Map.Entry<String, SetupFactory> primitive : juc.entrySet()) {
            String name = primitive.getKey();
            if (only == null || only.contains(name)) {
                report(name, n, repetitions, () -> ours(name, n), primitive.getValue());
            }
        }
        if (only == null) {
            interruptLatencies();
        }
        System.exit(0);
    }

    interface SetupFactory {
        Setup make() throws Exception;
    }

    private static void report(String name, int n, int repetitions, SetupFactory ours, SetupFactory juc)
            throws Exception {
        double[] oursMs = new double[repetitions];
        double[] jucMs = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            oursMs[i] = measure(ours.make(), n);
            jucMs[i] = measure(juc.make(), n);
        }
        System.out.printf("release %s %d %.1f %.1f%n", name, n, median(oursMs), median(jucMs));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Starts n waiters, lets them block, orders the release, and times until all have returned. */
    private static double measure(Setup setup, int n) throws Exception {
        try {
            CountDownLatch started = new CountDownLatch(n);
            List<Future<?>> futures = new ArrayList<>(n);
            Wait wait = setup.waiter();
            for (int i = 0; i < n; i++) {
                futures.add(threads.submit(() -> {
                    started.countDown();
                    wait.run();
                    return null;
                }));
            }
            started.await();
            Thread.sleep(200 + n / 50); // into their waits, past any spin
            long began = System.nanoTime();
            setup.release();
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
            return (System.nanoTime() - began) / 1e6;
        } finally {
            setup.close();
        }
    }

    /**
     * A releaser that makes one call per waiter (semaphore releases, queue puts) first makes that
     * many calls on a scratch primitive of its own: the figure is the release of the waiters, as a
     * process that has been running for a while makes it, not a fresh JVM's first ten thousand
     * calls in the interpreter (those alone took 70-190 ms for the puts), while the in-JVM releaser
     * is warm from the repetitions before.
     */
    private static final int WARM_UP_OPERATIONS = 50_000;

    /**
     * Ours: a child process waits for "go" and then releases the primitive; the time includes its
     * wake-up (a few microseconds).
     */
    private static Setup ours(String primitive, int n) {
        Event go = new Event();
        switch (primitive) {
            case "Event": {
                Event event = new Event();
                return childReleases(go, () -> event::await, () -> {
                    go.await();
                    event.set();
                }, event::close);
            }
            case "Semaphore": {
                Semaphore semaphore = new Semaphore(0);
                Event warmed = new Event();
                return afterWarmUp(childReleases(go, () -> semaphore::acquire, () -> {
                    Semaphore scratch = new Semaphore(0);
                    for (int i = 0; i < WARM_UP_OPERATIONS; i++) {
                        scratch.release();
                        scratch.acquire();
                    }
                    scratch.close();
                    warmed.set();
                    go.await();
                    for (int i = 0; i < n; i++) {
                        semaphore.release();
                    }
                }, semaphore::close), warmed);
            }
            case "Lock": {
                Lock lock = new Lock();
                Event held = new Event();
                Setup setup = childReleases(go, () -> () -> {
                    lock.lock();
                    lock.unlock();
                }, () -> {
                    lock.lock();
                    held.set();
                    go.await();
                    lock.unlock();
                }, lock::close);
                try {
                    held.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return setup;
            }
            case "Condition": {
                Condition condition = new Condition(new Lock());
                return childReleases(go, () -> () -> {
                    condition.acquire();
                    try {
                        condition.await();
                    } finally {
                        condition.release();
                    }
                }, () -> {
                    go.await();
                    condition.acquire();
                    condition.signalAll();
                    condition.release();
                }, condition::close);
            }
            case "Queue.get": {
                Queue<Integer> queue = new Queue<>();
                Event warmed = new Event();
                return afterWarmUp(childReleases(go, () -> queue::get, () -> {
                    Queue<Integer> scratch = new Queue<>();
                    for (int i = 0; i < WARM_UP_OPERATIONS; i++) {
                        scratch.put(i);
                        scratch.get();
                    }
                    scratch.close();
                    warmed.set();
                    go.await();
                    for (int i = 0; i < n; i++) {
                        queue.put(i);
                    }
                }, queue::close), warmed);
            }
            default:
                throw new IllegalArgumentException(primitive);
        }
    }

    /** The setup once its releaser has said it is warm. */
    private static Setup afterWarmUp(Setup setup, Event warmed) {
        try {
            if (!warmed.await(java.time.Duration.ofSeconds(60))) {
                throw new IllegalStateException("the releaser did not warm up within 60 s");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return setup;
    }

    interface WaitSupplier {
        Wait get();
    }

    private static Setup childReleases(Event go, WaitSupplier waiter, io.multiprocessing4j.function.ProcessTarget releaser,
                                       Closer closer) {
        ChildProcess child = new ChildProcess(releaser, "releaser", true);
        child.start();
        return new Setup() {
            public Wait waiter() {
                return waiter.get();
            }

            public void release() {
                go.set();
            }

            public void close() throws Exception {
                child.join(java.time.Duration.ofSeconds(60));
                if (child.isAlive()) {
                    child.kill();
                    child.join();
                }
                closer.close();
                go.close();
            }
        };
    }

    interface Closer {
        void close() throws Exception;
    }

    /** The same in one JVM: another (platform) thread releases. */
    private static Setup inJvm(Wait waiter, Wait releaser) {
        return new Setup() {
            public Wait waiter() {
                return waiter;
            }

            public void release() throws Exception {
                Thread thread = new Thread(() -> {
                    try {
                        releaser.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                thread.start();
            }

            public void close() {
            }
        };
    }

    private static Setup jucEvent() {
        CountDownLatch latch = new CountDownLatch(1);
        return inJvm(latch::await, latch::countDown);
    }

    private static Setup jucSemaphore(int n) {
        java.util.concurrent.Semaphore semaphore = new java.util.concurrent.Semaphore(0);
        return inJvm(semaphore::acquire, () -> {
            for (int i = 0; i < n; i++) {
                semaphore.release();
            }
        });
    }

    private static Setup jucLock() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            lock.lock();
            held.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lock.unlock();
        });
        holder.start();
        held.await();
        return inJvm(() -> {
            lock.lock();
            lock.unlock();
        }, go::countDown);
    }

    private static Setup jucCondition() {
        ReentrantLock lock = new ReentrantLock();
        java.util.concurrent.locks.Condition condition = lock.newCondition();
        return inJvm(() -> {
            lock.lock();
            try {
                condition.await();
            } finally {
                lock.unlock();
            }
        }, () -> {
            lock.lock();
            condition.signalAll();
            lock.unlock();
        });
    }

    private static Setup jucQueue(int n) {
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        return inJvm(queue::take, () -> {
            for (int i = 0; i < n; i++) {
                queue.put(i);
            }
        });
    }

    /** One virtual thread blocked in each primitive, interrupted: microseconds until it has thrown (median of 20). */
    private static void interruptLatencies() throws Exception {
        Event event = new Event();
        Lock lock = new Lock();
        lock.lock();
        Semaphore semaphore = new Semaphore(0);
        Queue<Integer> queue = new Queue<>();
        io.multiprocessing4j.connection.Pipe pipe = io.multiprocessing4j.connection.Pipe.open();
        CountDownLatch latch = new CountDownLatch(1);
        interruptLatency("Event.await", event::await);
        interruptLatency("Lock.acquire", lock::acquire);
        interruptLatency("Semaphore.acquire", semaphore::acquire);
        interruptLatency("Queue.get", queue::get);
        interruptLatency("Connection.recv", pipe.first()::recv);
        interruptLatency("CountDownLatch.await (JDK)", latch::await);
        // A manager proxy's wait is a request waiting in the server process: the interrupt goes
        // there as a cancel, and the answer comes back (a result that won the race is kept).
        try (Manager manager = Manager.start()) {
            QueueProxy<Integer> managed = manager.queue();
            EventProxy managedEvent = manager.event();
            for (boolean virtual : new boolean[] {true, false}) {
                String kind = virtual ? "" : ", platform thread";
                interruptLatency("manager Queue.get" + kind, managed::get, virtual);
                interruptLatency("manager Event.await" + kind, managedEvent::await, virtual);
            }
        }
    }

    private static void interruptLatency(String name, Wait wait) throws Exception {
        interruptLatency(name, wait, true);
    }

    private static void interruptLatency(String name, Wait wait, boolean virtual) throws Exception {
        double[] micros = new double[20];
        for (int i = 0; i < micros.length; i++) {
            CountDownLatch done = new CountDownLatch(1);
            long[] ended = new long[1];
            Runnable waiter = () -> {
                try {
                    wait.run();
                } catch (Exception expected) {
                    ended[0] = System.nanoTime();
                }
                done.countDown();
            };
            Thread thread;
            if (virtual) {
                thread = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, waiter);
            } else {
                thread = new Thread(waiter);
                thread.start();
            }
            // A platform thread blocked in a socket read shows RUNNABLE: then the settle time alone.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(virtual ? 10_000 : 200);
            while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING
                    && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(5);
            long began = System.nanoTime();
            thread.interrupt();
            done.await();
            micros[i] = (ended[0] - began) / 1e3;
        }
        System.out.printf("interrupt %s %.0f%n", name, median(micros));
    }
}
