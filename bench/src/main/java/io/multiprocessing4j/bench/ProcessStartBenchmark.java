package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a child costs: start→join of an empty target, and start→target-running (start() returns
 * once the child has taken its target and is about to run it). The child JVM's boot is the floor
 * of both; bench/compare/run measures a bare {@code java Hello} beside them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Thread)
public class ProcessStartBenchmark {
    private ChildProcess running;

    @Benchmark
    public ChildProcess startJoin() throws InterruptedException {
        ChildProcess child = new ChildProcess(ProcessStartBenchmark::nothing);
        child.start();
        child.join();
        child.close();
        return child;
    }

    @Benchmark
    public ChildProcess startToTargetRunning() {
        running = new ChildProcess(ProcessStartBenchmark::sleepForever, "runner", true);
        running.start();
        return running;
    }

    @TearDown(Level.Invocation)
    public void stopRunning() throws InterruptedException {
        if (running != null) {
            running.kill();
            running.join();
            running.close();
            running = null;
        }
    }

    private static void nothing() {
    }

    private static void sleepForever() throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
