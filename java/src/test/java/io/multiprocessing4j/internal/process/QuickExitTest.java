package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.support.NewerJdk;
import io.multiprocessing4j.support.ReapChildren;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A child reads the JDK's tables of what its exit would run (through JNI, with no option opening
 * them on its command line), so that it ends at once when they are empty: a child whose reading
 * failed would still end, through the JVM's exit, only slower, and no other test would notice.
 */
@ExtendWith(ReapChildren.class)
@Timeout(120)
class QuickExitTest {

    @Test
    void aChildReadsWhatItsExitWouldRunWithoutOpeningTheJdk() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection report = pipe.second();
            ChildProcess child = Multiprocessing.getContext("spawn").newProcess(() -> {
                List<String> seen = new ArrayList<>();
                seen.add(QuickExit.leftToRun().name());
                File doomed = File.createTempFile("mp4j-quick-exit", ".tmp");
                doomed.deleteOnExit();
                seen.add(QuickExit.leftToRun().name());
                Thread hook = new Thread(() -> { });
                Runtime.getRuntime().addShutdownHook(hook);
                seen.add(QuickExit.leftToRun().name());
                seen.add(commandLineOpens());
                report.send(seen);
            });
            child.start();
            assertTrue(pipe.first().poll(Duration.ofSeconds(60)), "the child sent no report");
            Object seen = pipe.first().recv();
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals(0, child.exitCode().orElseThrow());
            assertEquals(List.of("NOTHING", "SOMETHING", "SOMETHING", "opens nothing"), seen);
        }
    }

    /**
     * A child whose JVM writes a file at its exit (here a class list, as the training child of the
     * children's class-data archive writes one) has nothing else left, so it halts: the file is
     * whole, and the child's last classes are in it without the JDK's logging, which
     * {@code System.exit} brings up on JDK 21+ (so on the newest JDK here, where there is one;
     * before 21 the exit loads no logger and only the file's completeness is shown).
     */
    @Test
    void aChildThatOnlyWritesFilesAtExitHaltsWithTheFileWholeAndNoLoggingLoaded() throws Exception {
        Optional<Path> newerJava = NewerJdk.newestJavaFrom(21);
        Path classList = Files.createTempFile("mp4j-quick-exit", ".classlist");
        ProcessContext.Builder builder = Multiprocessing.getContext("spawn").toBuilder()
                .jvmOptions("-XX:DumpLoadedClassList=" + classList);
        newerJava.ifPresent(java -> builder.javaExecutable(java.toString()));
        try {
            // Without captures, so that the target travels in the compact form: Java serialization
            // would bring up the JDK's logging on its own (its filter configuration has a logger).
            ChildProcess child = builder.build().newProcess(() -> {
                if (QuickExit.leftToRun() != QuickExit.Left.FILES_AT_EXIT) {
                    throw new IllegalStateException("left to run: " + QuickExit.leftToRun());
                }
            });
            child.start();
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals(0, child.exitCode().orElseThrow(), "the child did not see only files left to write at exit");
            List<String> loaded = Files.readAllLines(classList);
            assertTrue(loaded.stream().anyMatch(line -> line.split(" ")[0].equals("io/multiprocessing4j/internal/process/QuickExit$Left")),
                    "the class list misses the child's last classes: " + loaded.size() + " lines");
            assertFalse(loaded.stream().anyMatch(line -> line.startsWith("jdk/internal/logger/")),
                    "the child's exit brought up the JDK's logging");
        } finally {
            Files.deleteIfExists(classList);
        }
    }

    /** What the child's own command line opens of the JDK's modules (each costs its archived module graph). */
    private static String commandLineOpens() throws Exception {
        String[] arguments = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8)
                .split("\0");
        List<String> opening = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.startsWith("--add-")) {
                opening.add(argument);
            }
        }
        return opening.isEmpty() ? "opens nothing" : opening.toString();
    }
}
