package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.support.ReapChildren;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
