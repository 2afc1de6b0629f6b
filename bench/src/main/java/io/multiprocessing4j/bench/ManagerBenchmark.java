package io.multiprocessing4j.bench;

import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.LockProxy;
import io.multiprocessing4j.managers.Manager;
import io.multiprocessing4j.managers.QueueProxy;
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
 * A manager's proxies: appends to a list from a child process (per second), a dict set and get
 * from here (time of the pair), items through a queue from a child to here (per second), and a
 * lock taken and released by two processes at once (pairs per second, both counted). Each call is
 * a round trip to the server. bench/compare/managers.py measures CPython the same way.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ManagerBenchmark {
    /** Operations a helper process does per batch (round trips are far slower than shared memory). */
    static final int BATCH = 2_000;

    @State(Scope.Benchmark)
    public static class Served {
        Manager manager;
        ListProxy<Integer> list;
        DictProxy<String, Integer> dict;
        QueueProxy<Integer> queue;
        LockProxy lock;
        TwoProcessBatches appender;
        TwoProcessBatches producer;
        TwoProcessBatches locker;
        int counter;

        @Setup(Level.Trial)
        public void start() {
            manager = Manager.start();
            list = manager.list();
            dict = manager.dict();
            queue = manager.queue();
            lock = manager.lock();
            ListProxy<Integer> sharedList = list;
            QueueProxy<Integer> sharedQueue = queue;
            LockProxy sharedLock = lock;
            appender = new TwoProcessBatches(() -> append(sharedList, BATCH));
            producer = new TwoProcessBatches(() -> put(sharedQueue, BATCH));
            locker = new TwoProcessBatches(() -> pairs(sharedLock, BATCH));
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            appender.stop();
            producer.stop();
            locker.stop();
            manager.shutdown();
        }
    }

    static void append(ListProxy<Integer> list, int count) {
        for (int i = 0; i < count; i++) {
            list.add(i);
        }
    }

    static void put(QueueProxy<Integer> queue, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.put(i);
        }
    }

    static void pairs(LockProxy lock, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            lock.acquire();
            lock.release();
        }
    }

    /** A child appends a batch to the list; the score is its appends per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void listAppendFromChild(Served state) throws InterruptedException {
        state.appender.startHelperBatch();
        state.appender.awaitHelperBatch();
        state.list.clear();
    }

    /** {@code d['k'] = i; d['k']}: the time of the pair. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Integer dictSetGet(Served state) {
        state.dict.put("k", ++state.counter);
        return state.dict.get("k");
    }

    /** A child puts a batch of ints into the queue while this process gets them; items per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void queueChildToParent(Served state) throws InterruptedException {
        state.producer.startHelperBatch();
        for (int i = 0; i < BATCH; i++) {
            state.queue.get();
        }
        state.producer.awaitHelperBatch();
    }

    /** Both processes do a batch of acquire/release pairs on the manager's lock at once; both counted. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(2 * BATCH)
    public void lockTwoProcesses(Served state) throws InterruptedException {
        state.locker.startHelperBatch();
        pairs(state.lock, BATCH);
        state.locker.awaitHelperBatch();
    }
}
