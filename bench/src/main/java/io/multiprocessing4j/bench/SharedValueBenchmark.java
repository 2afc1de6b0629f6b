package io.multiprocessing4j.bench;

import io.multiprocessing4j.sharedctypes.SharedInt;
import io.multiprocessing4j.sharedctypes.SharedIntArray;
import io.multiprocessing4j.sharedctypes.SharedLong;
import io.multiprocessing4j.synchronize.ProcessLock;
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
 * Shared values: increments under the value's lock and atomic increments, by two processes at the
 * same time, counted together (see {@link TwoProcessBatches}; bench/compare/shared_memory.py measures
 * CPython the same way); get and set of a value; bulk copies of 1 MiB between a Java array and a
 * shared array.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedValueBenchmark {
    private static final int COPY_INTS = (1 << 20) / Integer.BYTES;

    /** A value with its RLock, and a helper process incrementing it under the lock a batch at a time, with us. */
    @State(Scope.Benchmark)
    public static class LockedCounter {
        SharedInt value;
        TwoProcessBatches helper;

        @Setup(Level.Trial)
        public void start() {
            value = SharedInt.create(0);
            SharedInt shared = value;
            helper = new TwoProcessBatches(() -> incrementUnderLock(shared, TwoProcessBatches.BATCH));
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            helper.stop();
        }
    }

    /** A raw long, and a helper process incrementing it atomically a batch at a time, with us. */
    @State(Scope.Benchmark)
    public static class AtomicCounter {
        SharedLong value;
        TwoProcessBatches helper;

        @Setup(Level.Trial)
        public void start() {
            value = SharedLong.createRaw(0);
            SharedLong shared = value;
            helper = new TwoProcessBatches(() -> incrementAtomically(shared, TwoProcessBatches.BATCH));
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            helper.stop();
        }
    }

    @State(Scope.Benchmark)
    public static class Values {
        SharedInt locked;
        SharedInt raw;
        int next;

        @Setup(Level.Trial)
        public void create() {
            locked = SharedInt.create(7);
            raw = SharedInt.createRaw(7);
        }
    }

    @State(Scope.Benchmark)
    public static class Arrays {
        SharedIntArray shared;
        int[] local;

        @Setup(Level.Trial)
        public void create() {
            shared = SharedIntArray.createRaw(COPY_INTS);
            local = new int[COPY_INTS];
            for (int i = 0; i < COPY_INTS; i++) {
                local[i] = i;
            }
        }
    }

    /** Python: {@code with v.get_lock(): v.value += 1}, {@code count} times. */
    static void incrementUnderLock(SharedInt value, int count) throws InterruptedException {
        ProcessLock lock = value.getLock();
        for (int i = 0; i < count; i++) {
            lock.acquire();
            value.set(value.get() + 1);
            lock.release();
        }
    }

    static void incrementAtomically(SharedLong value, int count) {
        for (int i = 0; i < count; i++) {
            value.incrementAndGet();
        }
    }

    /** Both processes increment the same value under its lock, a batch at once; the score counts both. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(2 * TwoProcessBatches.BATCH)
    public void lockedIncrementTwoProcesses(LockedCounter state) throws InterruptedException {
        state.helper.startHelperBatch();
        incrementUnderLock(state.value, TwoProcessBatches.BATCH);
        state.helper.awaitHelperBatch();
    }

    /** Both processes increment the same raw value atomically, a batch at once; the score counts both. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(2 * TwoProcessBatches.BATCH)
    public void atomicIncrementTwoProcesses(AtomicCounter state) throws InterruptedException {
        state.helper.startHelperBatch();
        incrementAtomically(state.value, TwoProcessBatches.BATCH);
        state.helper.awaitHelperBatch();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int get(Values state) {
        return state.locked.get();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void set(Values state) {
        state.locked.set(state.next++);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int getRaw(Values state) {
        return state.raw.get();
    }

    /** One operation copies 1 MiB from a Java int[] into a shared array. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public SharedIntArray copyInto(Arrays state) {
        state.shared.set(0, state.local);
        return state.shared;
    }

    /** One operation copies 1 MiB from a shared array into a Java int[]. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int[] copyOut(Arrays state) {
        state.shared.get(0, state.local);
        return state.local;
    }
}
