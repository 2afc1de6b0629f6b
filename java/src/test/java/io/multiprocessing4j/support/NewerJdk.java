package io.multiprocessing4j.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a JDK other than the one running the tests, for checks that need its features. */
public final class NewerJdk {
    /** Where Debian and the Temurin packages put JDKs. */
    public static final Path JVM_DIRECTORY = Path.of("/usr/lib/jvm");

    private NewerJdk() {
    }

    /** The {@code java} of the newest JDK of feature version {@code feature} or later, if there is one. */
    public static Optional<Path> newestJavaFrom(int feature) throws IOException {
        return javaFrom(feature, true);
    }

    /**
     * The {@code java} of the oldest JDK of feature version {@code feature} or later, if there is
     * one: for virtual threads, JDK 21 to 23, where a virtual thread that waits holding a monitor
     * pins its carrier, are stricter than the JDKs after them.
     */
    public static Optional<Path> oldestJavaFrom(int feature) throws IOException {
        return javaFrom(feature, false);
    }

    private static Optional<Path> javaFrom(int feature, boolean newest) throws IOException {
        if (!Files.isDirectory(JVM_DIRECTORY)) {
            return Optional.empty();
        }
        Path best = null;
        int bestFeature = -1;
        try (Stream<Path> homes = Files.list(JVM_DIRECTORY)) {
            for (Path home : (Iterable<Path>) homes::iterator) {
                Path java = home.resolve("bin/java");
                int version = featureVersion(home.resolve("release"));
                boolean better = best == null || (newest ? version > bestFeature : version < bestFeature);
                if (version >= feature && better && Files.isExecutable(java)) {
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
