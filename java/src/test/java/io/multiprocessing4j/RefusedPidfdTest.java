package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where {@code pidfd_open} is refused, as in a container whose seccomp profile predates pidfds
 * (Docker before 20.10 answers EPERM for calls it does not list; a kernel before 5.3 or a newer
 * runtime's profile, ENOSYS), {@code start()} fails at once with a message that says why and what
 * to allow, leaves no process behind, and fails the same way again. The JVM under test runs under
 * a real seccomp filter ({@code native/test/seccomp_refuse.c}), which its children inherit.
 */
@ProcessSemantics
@Timeout(120)
class RefusedPidfdTest {
    private static final int PIDFD_OPEN = 434; // the same number on x86-64 and aarch64

    /** Starts a child twice; reports each failure's message and how many children it has left. */
    public static final class StartUnderFilter {
        public static void main(String[] args) throws Exception {
            for (int attempt = 1; attempt <= 2; attempt++) {
                ChildProcess child = new ChildProcess(() -> { });
                try {
                    child.start();
                    child.join(Duration.ofSeconds(30));
                    SeparateJvm.report("STARTED" + attempt, child.exitCode().orElse(-999));
                } catch (RuntimeException e) {
                    SeparateJvm.report("FAILED" + attempt, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            Thread.sleep(200); // a child killed by the failed start would still show as a zombie
            SeparateJvm.report("CHILDREN", ProcessHandle.current().children().count());
        }
    }

    private static Path helper() {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        return Path.of(System.getProperty("basedir", "."), "target", "native-test", "linux-" + arch, "mp4j-seccomp-refuse");
    }

    @ParameterizedTest
    @CsvSource({"1, EPERM, a seccomp filter refuses the call", "38, ENOSYS, the call is missing from this kernel"})
    void aRefusedPidfdOpenFailsStartSayingWhyAndLeavesNothing(int errno, String name, String reason) throws Exception {
        assumeTrue(Files.isExecutable(helper()), "no " + helper() + " (built with the native library): skipped");
        List<String> prefix = List.of(helper().toString(), Integer.toString(errno), Integer.toString(PIDFD_OPEN));
        try (SeparateJvm jvm = SeparateJvm.start(prefix, List.of(), StartUnderFilter.class)) {
            assertEquals(0, jvm.awaitExit(90), jvm.stdout() + jvm.stderr());
            for (String attempt : List.of("FAILED1", "FAILED2")) {
                String failure = jvm.fact(attempt);
                assertTrue(failure != null && failure.startsWith("ProcessStartException: "), jvm.stdout() + jvm.stderr());
                assertTrue(failure.contains("pidfd_open failed: " + name), failure);
                assertTrue(failure.contains(reason), failure);
                assertTrue(failure.contains("Linux 5.4 or newer"), failure);
            }
            assertEquals("0", jvm.fact("CHILDREN"), "no child left, not even a zombie: " + jvm.stdout());
        }
    }
}
