package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.synchronize.Event;
import io.multiprocessing4j.synchronize.Lock;
import io.multiprocessing4j.synchronize.RLock;
import io.multiprocessing4j.synchronize.Semaphore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acquire/release pairs per second: uncontended (Lock, RLock, Semaphore), and a Lock that a helper
 * process hammers at the same time (the rate measured is this process's; bench/compare/sync.py
 * measures CPython the same way).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LockBenchmark {

    @State(Scope.Benchmark)
    public static class Uncontended {
        Lock lock;
        RLock rlock;
        Semaphore semaphore;

        @Setup(Level.Trial)
        public void create() {
            lock = new Lock();
            rlock = new RLock();
            semaphore = new Semaphore(1);
        }

        @TearDown(Level.Trial)
        public void close() {
            lock.close();
            rlock.close();
            semaphore.close();
        }
    }

    /** A Lock and a helper process acquiring and releasing it in a loop until stopped. */
    @State(Scope.Benchmark)
    public static class Contended {
        Lock lock;
        Event stop;
        ChildProcess helper;

        @Setup(Level.Trial)
        public void start() {
            lock = new Lock();
            stop = new Event();
            Lock shared = lock;
            Event stopSignal = stop;
            helper = new ChildProcess(() -> hammer(shared, stopSignal), "hammer", true);
            helper.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop.set();
            if (!helper.join(Duration.ofSeconds(10))) {
                helper.kill();
                helper.join();
            }
            helper.close();
        }
    }

    static void hammer(Lock lock, Event stop) throws InterruptedException {
        while (!stop.isSet()) {
            for (int i = 0; i < 1000; i++) {
                lock.acquire();
                lock.release();
            }
        }
    }

    @Benchmark
    public void lockUncontended(Uncontended state) throws InterruptedException {
        state.lock.acquire();
        state.lock.release();
    }

    @Benchmark
    public void rlockUncontended(Uncontended state) throws InterruptedException {
        state.rlock.acquire();
        state.rlock.release();
    }

    @Benchmark
    public void semaphoreUncontended(Uncontended state) throws InterruptedException {
        state.semaphore.acquire();
        state.semaphore.release();
    }

    @Benchmark
    public void lockContended(Contended state) throws InterruptedException {
        state.lock.acquire();
        state.lock.release();
    }
}
