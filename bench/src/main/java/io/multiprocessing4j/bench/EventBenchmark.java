package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.synchronize.Event;
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
 * Event ping-pong between two processes: this one sets "ping" and waits for "pong"; a helper waits
 * for "ping" and sets "pong". One operation is one round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class EventBenchmark {
    private Event ping;
    private Event pong;
    private ChildProcess helper;

    @Setup(Level.Trial)
    public void start() {
        ping = new Event();
        pong = new Event();
        Event in = ping;
        Event out = pong;
        helper = new ChildProcess(() -> answer(in, out), "pong", true);
        helper.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        helper.kill();
        helper.join();
        helper.close();
    }

    static void answer(Event ping, Event pong) throws InterruptedException {
        while (true) {
            ping.await();
            ping.clear();
            pong.set();
        }
    }

    @Benchmark
    public void pingPong() throws InterruptedException {
        ping.set();
        pong.await();
        pong.clear();
    }
}
