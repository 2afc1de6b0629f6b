package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.StartMethod;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.synchronize.Lock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a child costs, under each start method: start→join of an empty target, and
 * start→target-running ({@code start()} returns once the child has taken its target and is about
 * to run it). Under {@code spawn} the child JVM's boot is the floor of both (bench/compare/run
 * measures a bare {@code java Hello} beside them). Under {@code warm}, between invocations
 * (untimed) the replacement spare is given time to boot, so that each start meets a ready spare:
 * the warm method's steady state for starts spaced further apart than a JVM boot; {@link #burstOf16}
 * measures starts that come faster, once the count of spares has grown to the demand (its first
 * invocations, in the warm-up, grow it).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Thread)
public class ProcessStartBenchmark {
    @Param({"spawn", "warm"})
    public String method;

    private ProcessContext context;
    private ChildProcess running;

    private Lock lock;
    private Queue<Integer> queue;

    @Setup(Level.Trial)
    public void chooseContext() throws InterruptedException {
        context = Multiprocessing.getContext(method).warmUp();
        // Children's steady state: with the class-data archive for them, built once in the background.
        context.awaitClassDataArchive(Duration.ofMinutes(5));
        lock = new Lock();
        queue = new Queue<>();
        awaitReadySpare();
    }

    @TearDown(Level.Trial)
    public void closeShared() {
        queue.close();
    }

    @Setup(Level.Invocation)
    public void awaitReadySpare() throws InterruptedException {
        if (context.startMethod() == StartMethod.WARM) {
            context.awaitWarmSpares(Duration.ofSeconds(60));
        }
    }

    @Benchmark
    public ChildProcess startJoin() throws InterruptedException {
        ChildProcess child = context.newProcess(ProcessStartBenchmark::nothing);
        child.start();
        child.join();
        child.close();
        return child;
    }

    /** The walkthrough's usual child: its target carries a lock and a queue (their fds travel with it). */
    @Benchmark
    public ChildProcess startJoinCarryingLockAndQueue() throws InterruptedException {
        Lock held = lock;
        Queue<Integer> carried = queue;
        ChildProcess child = context.newProcess(() -> {
            held.lock();
            held.unlock();
            carried.hashCode();
        });
        child.start();
        child.join();
        child.close();
        return child;
    }

    /** 16 starts back to back, each joined before the next: the time of one start→join among them. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public ChildProcess burstOf16() throws InterruptedException {
        ChildProcess child = null;
        for (int i = 0; i < BURST; i++) {
            child = context.newProcess(ProcessStartBenchmark::nothing);
            child.start();
            child.join();
            child.close();
        }
        return child;
    }

    /** Python's {@code p = Pool(2); p.apply(f); p.close(); p.join()}. */
    @Benchmark
    public Object poolOf2StartTaskShutdown() throws Exception {
        try (Pool pool = Pool.builder().processes(2).context(context).build()) {
            Object result = pool.apply(() -> 1);
            pool.shutdown();
            pool.join();
            return result;
        }
    }

    @Benchmark
    public ChildProcess startToTargetRunning() {
        running = ChildProcess.builder(ProcessStartBenchmark::sleepForever).name("runner").daemon(true)
                .context(context).build();
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

    private static final int BURST = 16;

    private static void nothing() {
    }

    private static void sleepForever() throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
