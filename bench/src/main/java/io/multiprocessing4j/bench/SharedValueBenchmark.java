package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.sharedctypes.SharedInt;
import io.multiprocessing4j.sharedctypes.SharedIntArray;
import io.multiprocessing4j.sharedctypes.SharedLong;
import io.multiprocessing4j.synchronize.Event;
import io.multiprocessing4j.synchronize.ProcessLock;
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
 * Shared values: increments under the value's lock and atomic increments, each while a helper
 * process does the same to the same value (the rate measured is this process's; CPython is
 * measured the same way by bench/compare/shared_memory.py); get and set of a value; bulk copies
 * of 1 MiB between a Java array and a shared array.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedValueBenchmark {
    private static final int COPY_INTS = (1 << 20) / Integer.BYTES;

    /** A value with its RLock, which a helper process increments under the lock until stopped. */
    @State(Scope.Benchmark)
    public static class LockedCounter {
        SharedInt value;
        ProcessLock lock;
        Event stop;
        ChildProcess helper;

        @Setup(Level.Trial)
        public void start() {
            value = SharedInt.create(0);
            lock = value.getLock();
            stop = new Event();
            SharedInt shared = value;
            Event stopSignal = stop;
            helper = new ChildProcess(() -> incrementUnderLock(shared, stopSignal), "incrementer", true);
            helper.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            SharedValueBenchmark.stop(stop, helper);
        }
    }

    /** A raw long that a helper process increments atomically until stopped. */
    @State(Scope.Benchmark)
    public static class AtomicCounter {
        SharedLong value;
        Event stop;
        ChildProcess helper;

        @Setup(Level.Trial)
        public void start() {
            value = SharedLong.createRaw(0);
            stop = new Event();
            SharedLong shared = value;
            Event stopSignal = stop;
            helper = new ChildProcess(() -> incrementAtomically(shared, stopSignal), "incrementer", true);
            helper.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            SharedValueBenchmark.stop(stop, helper);
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

    static void incrementUnderLock(SharedInt value, Event stop) throws InterruptedException {
        ProcessLock lock = value.getLock();
        while (!stop.isSet()) {
            for (int i = 0; i < 1000; i++) {
                lock.acquire();
                value.set(value.get() + 1);
                lock.release();
            }
        }
    }

    static void incrementAtomically(SharedLong value, Event stop) {
        while (!stop.isSet()) {
            for (int i = 0; i < 1000; i++) {
                value.incrementAndGet();
            }
        }
    }

    static void stop(Event stop, ChildProcess helper) throws InterruptedException {
        stop.set();
        if (!helper.join(Duration.ofSeconds(10))) {
            helper.kill();
            helper.join();
        }
        helper.close();
    }

    /** Python: {@code with v.get_lock(): v.value += 1}. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void lockedIncrementTwoProcesses(LockedCounter state) throws InterruptedException {
        state.lock.acquire();
        state.value.set(state.value.get() + 1);
        state.lock.release();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long atomicIncrementTwoProcesses(AtomicCounter state) {
        return state.value.incrementAndGet();
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
