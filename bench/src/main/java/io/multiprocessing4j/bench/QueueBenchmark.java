package io.multiprocessing4j.bench;

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
 * Messages per second through a {@link io.multiprocessing4j.queues.Queue} between processes: one
 * producer process to one consumer process, and four to four, with small ints and with 1 KiB byte
 * arrays (see {@link QueuePipeline}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QueueBenchmark {

    @State(Scope.Benchmark)
    public static class OneToOne {
        /** What the producers put: "int" (small Integers) or "kib" (1 KiB byte arrays). */
        @Param({"int", "kib"})
        String message;
        QueuePipeline pipeline;

        @Setup(Level.Trial)
        public void start() {
            pipeline = new QueuePipeline(1, 1, QueuePipeline.Payload.named(message));
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            pipeline.stop();
        }
    }

    @State(Scope.Benchmark)
    public static class FourToFour {
        /** What the producers put: "int" (small Integers) or "kib" (1 KiB byte arrays). */
        @Param({"int", "kib"})
        String message;
        QueuePipeline pipeline;

        @Setup(Level.Trial)
        public void start() {
            pipeline = new QueuePipeline(4, 4, QueuePipeline.Payload.named(message));
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            pipeline.stop();
        }
    }

    @Benchmark
    @OperationsPerInvocation(QueuePipeline.BATCH)
    public void oneToOne(OneToOne state) throws InterruptedException {
        state.pipeline.runBatch();
    }

    @Benchmark
    @OperationsPerInvocation(QueuePipeline.BATCH)
    public void fourToFour(FourToFour state) throws InterruptedException {
        state.pipeline.runBatch();
    }
}
