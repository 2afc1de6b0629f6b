package io.multiprocessing4j.managers;

import io.multiprocessing4j.support.SeparateJvm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Run on a JDK with virtual threads (21+), with few carriers: for each waiting proxy call,
 * {@code n} virtual threads block in it, then one more virtual thread releases them. If a waiting
 * call held its carrier, the releaser would never run. Then one more virtual thread blocks and is
 * interrupted. Reports {@code RELEASED <case> <n> <ms>} and {@code INTERRUPTED <case> <us>}, or
 * {@code STUCK <case> <what>} and exits 2. Argument: the count.
 */
public final class ManagerVirtualThreadsMain {
    private static final long BOUND_SECONDS = 60;
    private static final long INTERRUPT_BOUND_MICROS = 50_000;

    interface Step {
        void run() throws Exception;
    }

    /** What makes threads block (run before they do), how a thread blocks, how another releases {@code n} of them. */
    private record Case(Step setUp, Step block, Step release) {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        ExecutorService threads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        try (Manager manager = Manager.start()) {
            for (Map.Entry<String, Case> c : cases(manager, n).entrySet()) {
                String stuck = run(threads, c.getKey(), c.getValue(), n);
                if (stuck == null) {
                    stuck = interrupt(threads, c.getKey(), c.getValue());
                }
                if (stuck != null) {
                    SeparateJvm.report("STUCK", c.getKey() + " " + stuck);
                    System.exit(2);
                }
            }
        }
        SeparateJvm.ready();
        System.exit(0);
    }

    private static Map<String, Case> cases(Manager manager, int n) throws Exception {
        Map<String, Case> cases = new LinkedHashMap<>();
        EventProxy event = manager.event();
        cases.put("event", new Case(event::clear, event::await, event::set));
        QueueProxy<Integer> queue = manager.queue();
        cases.put("queue get", new Case(() -> { }, queue::get, () -> {
            for (int i = 0; i < n; i++) {
                queue.put(i);
            }
        }));
        QueueProxy<Integer> full = manager.queue(1);
        cases.put("queue put", new Case(() -> {
            full.clear();
            full.put(0);
        }, () -> full.put(1), () -> {
            for (int i = 0; i < n; i++) {
                full.get();
            }
        }));
        LockProxy lock = manager.lock();
        cases.put("lock", new Case(lock::lock, () -> {
            lock.lockInterruptibly();
            lock.unlock();
        }, lock::unlock)); // a Lock, not an RLock: any thread may release it, as in Python
        SemaphoreProxy semaphore = manager.semaphore(0);
        cases.put("semaphore", new Case(() -> { }, semaphore::acquire, () -> {
            for (int i = 0; i < n; i++) {
                semaphore.release();
            }
        }));
        ConditionProxy condition = manager.condition();
        cases.put("condition", new Case(() -> { }, () -> {
            try (LockProxy.Held held = condition.hold()) {
                condition.await();
            }
        }, () -> {
            try (LockProxy.Held held = condition.hold()) {
                condition.signalAll();
            }
        }));
        return cases;
    }

    /** n threads block, another releases them; null if all came back, otherwise what went wrong. */
    private static String run(ExecutorService threads, String name, Case c, int n) throws Exception {
        c.setUp().run();
        CountDownLatch started = new CountDownLatch(n);
        List<Future<?>> blocked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            blocked.add(threads.submit(() -> {
                started.countDown();
                c.block().run();
                return null;
            }));
        }
        if (!started.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
            return "only " + (n - started.getCount()) + " of " + n + " blocked threads ever ran";
        }
        Thread.sleep(500); // into their waits
        for (Future<?> f : blocked) {
            if (f.isDone()) {
                return "a thread returned before the release";
            }
        }
        long began = System.nanoTime();
        Future<?> releaser = threads.submit(() -> {
            c.release().run();
            return null;
        });
        long deadline = began + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        try {
            releaser.get(BOUND_SECONDS, TimeUnit.SECONDS);
            for (Future<?> f : blocked) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            return "after " + BOUND_SECONDS + " s: the releaser " + (releaser.isDone() ? "ran" : "never finished");
        }
        SeparateJvm.report("RELEASED", name + " " + n + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms");
        return null;
    }

    /** One virtual thread blocks, and is interrupted; null if it threw InterruptedException at once. */
    private static String interrupt(ExecutorService threads, String name, Case c) throws Exception {
        c.setUp().run();
        Thread[] waiter = new Thread[1];
        CountDownLatch started = new CountDownLatch(1);
        Future<Boolean> outcome = threads.submit(() -> {
            waiter[0] = Thread.currentThread();
            started.countDown();
            try {
                c.block().run();
                return false;
            } catch (InterruptedException expected) {
                return true;
            }
        });
        started.await(BOUND_SECONDS, TimeUnit.SECONDS);
        Thread.sleep(200);
        long began = System.nanoTime();
        waiter[0].interrupt();
        boolean interrupted = outcome.get(BOUND_SECONDS, TimeUnit.SECONDS);
        long micros = (System.nanoTime() - began) / 1000;
        SeparateJvm.report("INTERRUPTED", name + " " + micros + " us");
        if (!interrupted) {
            return "the interrupted thread returned without InterruptedException";
        }
        // generous on a loaded machine; the slices this replaces took up to 100 ms
        return micros < INTERRUPT_BOUND_MICROS ? null : "the interrupt took " + micros + " us";
    }

    private ManagerVirtualThreadsMain() {
    }
}
