package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.Reports;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A child gets exactly the fds planned for it: stdin on /dev/null, stdout/stderr, nothing of ours. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class CloexecTest {

    static void reportFds(String report, String secret) throws Exception {
        Reports.put(report, "trackerFd", System.getProperty(ResourceTracker.FD_PROPERTY, "none"));
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    Reports.put(report, "fd" + fd.getFileName(), target);
                    if (target.contains(secret)) {
                        Reports.put(report, "leaked", fd.getFileName() + " -> " + target);
                    }
                } catch (java.io.IOException vanished) {
                    // the directory stream's own fd
                }
            });
        }
    }

    @Test
    void fdsOpenInTheParentDoNotReachTheChild(@TempDir Path directory) throws Exception {
        Path secretFile = directory.resolve("parent-only-secret");
        Files.writeString(secretFile, "x");
        String report = directory.resolve("report").toString();
        String secret = secretFile.getFileName().toString();
        // FileInputStream opens without O_CLOEXEC: the child's fd table must still not get it.
        try (FileInputStream open = new FileInputStream(secretFile.toFile())) {
            ChildProcess child = new ChildProcess(() -> reportFds(report, secret));
            child.start();
            child.join();
            assertEquals(0, child.exitCode().orElseThrow());
        }
        Map<String, String> seen = Reports.read(Path.of(report));
        assertFalse(seen.containsKey("leaked"), "leaked into the child: " + seen.get("leaked"));
        assertEquals("/dev/null", seen.get("fd0"), "stdin is /dev/null, as Python gives its children");
        assertFalse(seen.getOrDefault("fd3", "").startsWith("socket:"), "control socket still open: " + seen);
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString(), seen.get("fd1"));
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString(), seen.get("fd2"),
                "the child's stderr is ours again, not the boot pipe");
        String trackerChannel = "fd" + seen.get("trackerFd"); // the resource tracker's pipe is inherited on purpose
        assertFalse(seen.entrySet().stream()
                        .anyMatch(fd -> !fd.getKey().equals("fd1") && !fd.getKey().equals("fd2")
                                && !fd.getKey().equals(trackerChannel) && fd.getValue().startsWith("pipe:")),
                "a pipe beyond stdout/stderr and the resource tracker's channel is open in the child: " + seen);
    }
}
