package io.multiprocessing4j.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The name the kernel shows for a Java thread ({@code /proc/PID/task/TID/comm}), which keeps 15
 * bytes of the name the JVM gives it. JDK 25 and earlier keep the first 15 characters of a longer
 * name; later JDKs keep its first 7 and its last 6 around "..", so that numbered threads stay
 * apart ("manager-session-12" shows as "manager..ion-12"). Which of the two this JVM does is read
 * from a thread every HotSpot JVM has, not guessed from its version; a JVM of the same JDK (a
 * child, a manager server) names its threads alike.
 */
public final class KernelThreadNames {
    /** The kernel keeps 15 bytes and a terminating zero. */
    private static final int KEPT = 15;
    /** A thread of every HotSpot JVM whose name is longer than the kernel keeps. */
    private static final String PROBE = "Reference Handler";
    private static volatile Boolean abbreviates;

    private KernelThreadNames() {
    }

    /** What the kernel shows for a thread this JVM names {@code javaName} (ASCII). */
    public static String of(String javaName) {
        if (javaName.length() <= KEPT) {
            return javaName;
        }
        if (abbreviates()) {
            return javaName.substring(0, 7) + ".." + javaName.substring(javaName.length() - 6);
        }
        return javaName.substring(0, KEPT);
    }

    private static boolean abbreviates() {
        Boolean known = abbreviates;
        if (known == null) {
            String abbreviated = PROBE.substring(0, 7) + ".." + PROBE.substring(PROBE.length() - 6);
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                known = tasks.anyMatch(task -> abbreviated.equals(comm(task)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            abbreviates = known;
        }
        return known;
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException gone) {
            return ""; // the thread ended while we looked
        }
    }
}
