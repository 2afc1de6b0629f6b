package io.multiprocessing4j.bench;

import io.multiprocessing4j.synchronize.Lock;
import io.multiprocessing4j.synchronize.RLock;
import io.multiprocessing4j.synchronize.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acquire/release pairs per second: uncontended (Lock, RLock, Semaphore), and two processes doing
 * pairs on the same Lock at the same time, counted together (see {@link TwoProcessBatches};
 * bench/compare/sync.py measures CPython the same way).
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

    /** A Lock and a helper process that acquires and releases it a batch at a time, with us. */
    @State(Scope.Benchmark)
    public static class Contended {
        Lock lock;
        TwoProcessBatches helper;

        @Setup(Level.Trial)
        public void start() {
            lock = new Lock();
            Lock shared = lock;
            helper = new TwoProcessBatches(() -> pairs(shared, TwoProcessBatches.BATCH));
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            helper.stop();
        }
    }

    static void pairs(Lock lock, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            lock.acquire();
            lock.release();
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

    /** Both processes do a batch of pairs on the same Lock at once; the score counts both. */
    @Benchmark
    @OperationsPerInvocation(2 * TwoProcessBatches.BATCH)
    public void lockContended(Contended state) throws InterruptedException {
        state.helper.startHelperBatch();
        pairs(state.lock, TwoProcessBatches.BATCH);
        state.helper.awaitHelperBatch();
    }
}
