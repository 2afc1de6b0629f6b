package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.internal.nativ.KernelFeatures;
import io.multiprocessing4j.support.NewerJdk;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Virtual threads blocked in any of our waits leave their carriers free: with two carriers,
 * {@code carriers + 2} (and 10,000) virtual threads block in each primitive, and one more virtual
 * thread, which can only run on a free carrier, releases them. Runs {@link VirtualThreadsMain} on
 * the oldest JDK 21+ on the machine (JDK 21 to 23 pin a carrier where a virtual thread waits
 * holding a monitor; later JDKs do not); skipped where there is none.
 */
class VirtualThreadsTest {
    private static final int CARRIERS = 2;

    @Test
    @Timeout(300)
    void aFewMoreBlockedVirtualThreadsThanCarriersAreReleasedByAnother() throws Exception {
        runAllCases(CARRIERS + 2);
    }

    @Test
    @Timeout(600)
    void tenThousandBlockedVirtualThreadsAreReleasedByAnother() throws Exception {
        List<String> cases = new ArrayList<>(VirtualThreadsMain.CASES.keySet());
        // A full queue lets its waiting producers in one per free slot: 1,000 take about 0.3 s,
        // 10,000 some 2 to 4 s under load, so the many are only a long variant
        // (-Dmultiprocessing4j.test.long=true).
        cases.remove("Queue.put");
        // a socket pair per waiter (and for sends, a socket's worth of bytes): 100 are enough
        List<String> perSocket = List.of("Connection.recv mid-message", "Connection.send to a full socket",
                "Pipe(false).send to a full pipe", "Client.connect to a full backlog");
        cases.removeAll(perSocket);
        cases.removeAll(List.of("ChildProcess.start", "new Pool")); // a JVM per waiter: the few are enough
        runCases(10_000, cases);
        runCases(100, perSocket);
        runCases(Boolean.getBoolean("multiprocessing4j.test.long") ? 10_000 : 1_000, List.of("Queue.put"));
    }

    /** Where pipes ignore RWF_NOWAIT (older kernels), a one-way pipe's waits take the poll fallback. */
    @Test
    @Timeout(300)
    void oneWayPipesWithoutRwfNowaitStillFreeTheirCarriers() throws Exception {
        List<String> prefix = List.of("env", KernelFeatures.FORCE_VARIABLE + "=pipe_nowait");
        runCases(CARRIERS + 2, List.of("Pipe(false).recv", "Pipe(false).send to a full pipe"), prefix);
        runCases(100, List.of("Pipe(false).recv", "Pipe(false).send to a full pipe"), prefix);
    }

    private static void runAllCases(int count) throws Exception {
        runCases(count, List.of());
    }

    private static void runCases(int count, List<String> cases) throws Exception {
        runCases(count, cases, List.of());
    }

    private static void runCases(int count, List<String> cases, List<String> prefix) throws Exception {
        Optional<Path> java = NewerJdk.oldestJavaFrom(21);
        assumeTrue(java.isPresent(), "no JDK 21 or newer under " + NewerJdk.JVM_DIRECTORY + ": no virtual threads");
        List<String> options = List.of(
                "-Djdk.virtualThreadScheduler.parallelism=" + CARRIERS,
                "-Djdk.virtualThreadScheduler.maxPoolSize=" + CARRIERS,
                "-Xss512k");
        try (SeparateJvm jvm = SeparateJvm.startOn(java.get(), prefix, options, VirtualThreadsMain.class,
                arguments(count, cases))) {
            int status = jvm.awaitExit(count > 100 ? 540 : 240);
            System.out.println(jvm.stdout());
            assertEquals(0, status, "on " + java.get() + ":\n" + jvm.stdout() + "\nstderr:\n" + jvm.stderr());
        }
    }

    private static String[] arguments(int count, List<String> cases) {
        List<String> arguments = new ArrayList<>();
        arguments.add(String.valueOf(count));
        arguments.addAll(cases);
        return arguments.toArray(new String[0]);
    }
}
