package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A duplex {@code Pipe} between this JVM and a child JVM: round trips of a small object and of
 * 64 bytes through an echoing child, and one-way throughput of 1 MiB byte messages from a child
 * that sends them as fast as it can. bench/compare/run puts them beside CPython's
 * {@code multiprocessing.Pipe} and beside a raw socketpair ping-pong in C between two processes.
 *
 * <p>Where the time goes. A round trip is two wake-ups of a process blocked in {@code recvmsg}. On
 * the 2-vCPU VM this was measured on, a wake-up costs about 5 µs when both processes share a CPU
 * and about 20 µs across CPUs (an idle vCPU must be woken), and the scheduler picks either
 * placement for a run: that is nearly all of a round trip, for us as for the C floor. Our own cost per message shows in
 * {@link #sameThreadSendRecv}: one JNI crossing and one {@code sendmsg} to send (header and
 * payload together), one JNI crossing and one {@code recvmsg} to receive (header and payload
 * together), a few bytes of encoding for an {@code Integer} or a {@code String}: about 0.6 µs per
 * message (sent and received) above the two bare system calls. A {@code List} goes through Java serialization, a few
 * microseconds per direction (stream header, class descriptor, reflection). A 1 MiB message moves
 * between the kernel and the Java array without a bounce copy, in slices of the socket buffer
 * (about 200 KiB), each a wake-up of the other side, so the kernel's two copies are the only ones;
 * what {@link #oneWay1MiB} pays beyond {@link #oneWay1MiBInto} is the new 1 MiB array per message
 * ({@code recvBytes} must return a fresh array): zeroing it, and for G1 a humongous allocation and
 * its reclamation.
 */
@Fork(3) // each fork places the two processes anew (same CPU or two CPUs): average over placements
@Warmup(iterations = 5, time = 1) // Java serialization needs several seconds of C2 work in both JVMs
@Measurement(iterations = 3, time = 1)
public class ConnectionBenchmark {
    private static final Duration STOP = Duration.ofSeconds(10);

    /** The child of the round-trip benchmarks: answers every message with itself. */
    static void echoObjects(Connection connection) throws IOException {
        try (connection) {
            while (true) {
                connection.send(connection.recv());
            }
        } catch (EOFException parentClosed) {
            // the benchmark is over
        }
    }

    static void echoBytes(Connection connection) throws IOException {
        try (connection) {
            while (true) {
                connection.sendBytes(connection.recvBytes());
            }
        } catch (EOFException parentClosed) {
            // the benchmark is over
        }
    }

    /** The child of the throughput benchmark: sends 1 MiB messages until the parent goes away. */
    static void sendForever(Connection connection) {
        byte[] message = new byte[1 << 20];
        Arrays.fill(message, (byte) 7);
        try (connection) {
            while (true) {
                connection.sendBytes(message);
            }
        } catch (IOException parentClosed) {
            // EPIPE: the benchmark is over
        }
    }

    /** One child and the parent's end of the pipe to it, for one trial. */
    abstract static class WithChild {
        Connection parent;
        private ChildProcess child;

        void start(java.util.function.Function<Connection, io.multiprocessing4j.function.ProcessTarget> target)
                throws IOException {
            Pipe pipe = Pipe.open();
            child = new ChildProcess(target.apply(pipe.second()), "echo", true);
            child.start();
            pipe.second().close();
            parent = pipe.first();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            parent.close();
            if (!child.join(STOP)) {
                child.kill();
                child.join();
            }
            child.close();
        }
    }

    @State(Scope.Thread)
    public static class ObjectEcho extends WithChild {
        /** int: an Integer; string: a short String; list: ["Hello", "World", null] (Java serialization). */
        @Param({"int", "string", "list"})
        public String payload;
        Object message;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            switch (payload) {
                case "int":
                    message = 42;
                    break;
                case "string":
                    message = "hello world";
                    break;
                default:
                    message = new ArrayList<>(Arrays.asList("Hello", "World", null));
            }
            start(connection -> () -> echoObjects(connection));
        }
    }

    @State(Scope.Thread)
    public static class BytesEcho extends WithChild {
        final byte[] message = new byte[64];

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            start(connection -> () -> echoBytes(connection));
        }
    }

    @State(Scope.Thread)
    public static class Source extends WithChild {
        final byte[] into = new byte[1 << 20];

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            start(connection -> () -> sendForever(connection));
        }
    }

    /** Both ends in this thread: no process waits, so this is our own cost per message. */
    @State(Scope.Thread)
    public static class Local {
        @Param({"int", "list"})
        public String payload;
        Object message;
        Pipe pipe;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            message = payload.equals("int") ? (Object) 42 : new ArrayList<>(Arrays.asList("Hello", "World", null));
            pipe = Pipe.open();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pipe.close();
        }
    }

    /** send then recv on a socketpair in one thread: one sendmsg and one recvmsg, without wake-ups. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object sameThreadSendRecv(Local local) throws IOException {
        local.pipe.first().send(local.message);
        return local.pipe.second().recv();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object roundTripObject(ObjectEcho echo) throws IOException {
        echo.parent.send(echo.message);
        return echo.parent.recv();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] roundTripBytes64(BytesEcho echo) throws IOException {
        echo.parent.sendBytes(echo.message);
        return echo.parent.recvBytes();
    }

    /**
     * One op is one 1 MiB message received into the same array ({@code recvBytesInto}): what
     * {@link #oneWay1MiB} costs without allocating a new 1 MiB array per message.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int oneWay1MiBInto(Source source) throws IOException {
        return source.parent.recvBytesInto(source.into);
    }

    /** One op is one 1 MiB message received. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] oneWay1MiB(Source source) throws IOException {
        return source.parent.recvBytes();
    }
}
