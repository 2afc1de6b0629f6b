package io.multiprocessing4j.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a child tells a test what it saw, before connections exist: {@code key=value} lines
 * appended to a file whose path (a String, since Path is not serializable) the target captures.
 */
public final class Reports {
    private Reports() {
    }

    /** Appends one line; called in the child. */
    public static void put(String file, String key, Object value) {
        try {
            Files.writeString(Path.of(file), key + "=" + value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything reported so far; later lines win. */
    public static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    values.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /** Waits until {@code key} has been reported, at most {@code timeout}; returns its value or null. */
    public static String await(Path file, String key, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String value = read(file).get(key);
            if (value != null || System.nanoTime() > deadline) {
                return value;
            }
            Thread.sleep(20);
        }
    }
}
