package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * From JDK 24 on, a JVM that loads a native library without being granted native access prints a
 * restricted-method warning on its stderr, and with {@code --illegal-native-access=deny} (a later
 * JDK's default) refuses the load. Our children always load ours, so they are granted it on their
 * command line. Checked by a child under "deny" on the newest JDK 24+ on this machine; skipped
 * where there is none.
 */
class NativeAccessTest {
    private static final Path JVM_DIRECTORY = Path.of("/usr/lib/jvm");

    @Test
    void aChildOnAJdkThatDeniesNativeAccessByDefaultStillLoadsOurLibrary() throws Exception {
        Optional<Path> newerJava = newestJavaFrom(24);
        assumeTrue(newerJava.isPresent(), "no JDK 24 or newer under " + JVM_DIRECTORY);
        ProcessContext context = ProcessContext.defaultContext().toBuilder()
                .javaExecutable(newerJava.get().toString())
                .jvmOptions("--illegal-native-access=deny")
                .build();
        // The target uses the library in the child (the pid comes from our native layer).
        ChildProcess child = context.newProcess(() -> System.exit(
                Multiprocessing.currentProcess().pid() == ProcessHandle.current().pid() ? 0 : 3));
        child.setDaemon(true);
        try {
            child.start();
            assertTrue(child.join(Duration.ofSeconds(30)), "the child did not end");
            assertEquals(0, child.exitCode().getAsInt(), "the child on " + newerJava.get() + " failed");
        } finally {
            if (child.isAlive()) {
                child.kill();
                child.join(Duration.ofSeconds(5));
            }
        }
    }

    private static Optional<Path> newestJavaFrom(int feature) throws IOException {
        if (!Files.isDirectory(JVM_DIRECTORY)) {
            return Optional.empty();
        }
        Path best = null;
        int bestFeature = feature - 1;
        try (Stream<Path> homes = Files.list(JVM_DIRECTORY)) {
            for (Path home : (Iterable<Path>) homes::iterator) {
                Path java = home.resolve("bin/java");
                int version = featureVersion(home.resolve("release"));
                if (version > bestFeature && Files.isExecutable(java)) {
                    best = java;
                    bestFeature = version;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The feature version in a JDK's {@code release} file (JAVA_VERSION="25.0.1" gives 25), or -1. */
    private static int featureVersion(Path release) throws IOException {
        if (!Files.isRegularFile(release)) {
            return -1;
        }
        for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                int end = 0;
                while (end < version.length() && Character.isDigit(version.charAt(end))) {
                    end++;
                }
                return end == 0 ? -1 : Integer.parseInt(version.substring(0, end));
            }
        }
        return -1;
    }
}
