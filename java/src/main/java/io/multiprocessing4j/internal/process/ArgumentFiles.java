package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.CacheDirectories;
import io.multiprocessing4j.internal.CacheRetention;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the command line of a JVM of ours within what execve(2) takes: one string of at most
 * 128 KiB ({@code MAX_ARG_STRLEN}, 32 pages). A longer class path is no rarity: Gradle, IntelliJ
 * ("shorten command line") and Bazel start a JVM whose class path of thousands of jars comes from
 * an argument file, and every child of that JVM failed in execve with E2BIG.
 *
 * <p>An option, or an option's value such as the class path, longer than {@link #LIMIT} bytes goes
 * instead into a file in the java launcher's {@code @argfile} form (JDK 9 and later), and the
 * command line names the file ({@code -cp @~/.cache/multiprocessing4j/args-<hash>}). The launcher
 * reads it before the JVM starts, so the JVM gets the same options as from the command line (its
 * {@code java.class.path}, the class path a class-data archive is checked against). The file is named
 * by its content, kept in the private cache directory ({@link CacheDirectories}) and reused by every
 * child and every later run with that class path; files no JVM has used for a month are deleted
 * ({@link CacheRetention}).
 */
final class ArgumentFiles {
    /**
     * Longer arguments (bytes, UTF-8) go to a file: a quarter of the kernel's limit, so that what
     * stays on the command line (a few such arguments, the environment) fits its total too.
     */
    static final int LIMIT = 32 * 1024;
    private static final String PREFIX = "args-";
    /** Files this JVM wrote or checked, by the argument they hold. */
    private static final Map<String, Path> KNOWN = new ConcurrentHashMap<>();

    private ArgumentFiles() {
    }

    /**
     * {@code argv} (a java launcher's, possibly after a wrapper such as nice) with each option or
     * option value longer than {@link #LIMIT} replaced by {@code @file}; {@code argv} itself when
     * none is that long. Where no file can be written, the argument stays: execve then fails with
     * E2BIG, whose message says what to do.
     */
    static List<String> fit(List<String> argv) {
        List<String> fitted = null;
        for (int i = 1; i < argv.size(); i++) {
            String argument = argv.get(i);
            // A char is at most 3 bytes in UTF-8 (a surrogate pair: 4 for 2): short ones need no encoding.
            if (argument.length() * 3L <= LIMIT || !isOptionOrValue(argv, i)
                    || argument.getBytes(StandardCharsets.UTF_8).length <= LIMIT) {
                continue;
            }
            Path file = fileHolding(argument);
            if (file == null) {
                return argv;
            }
            if (fitted == null) {
                fitted = new ArrayList<>(argv);
            }
            fitted.set(i, "@" + file);
        }
        return fitted == null ? argv : fitted;
    }

    /**
     * Whether the launcher expands an {@code @file} at {@code i}: an option, or the value of the
     * one before it. Not the main class, nor an argument after it (for the program, taken as is).
     */
    private static boolean isOptionOrValue(List<String> argv, int i) {
        return argv.get(i).startsWith("-") || argv.get(i - 1).startsWith("-");
    }

    /** The file holding {@code argument}, written if it is missing or differs; null if none can be. */
    private static Path fileHolding(String argument) {
        Path known = KNOWN.get(argument);
        if (known != null && CacheRetention.markInUse(known) && Files.isRegularFile(known)) {
            return known;
        }
        byte[] content = (quoted(argument) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path directory = CacheDirectories.firstWritable(new ArrayList<>());
            Path file = directory.resolve(PREFIX + hash(content));
            if (!holds(file, content)) {
                Path temporary = Files.createTempFile(directory, PREFIX, ".tmp");
                try {
                    Files.write(temporary, content);
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            CacheRetention.markInUse(file);
            if (KNOWN.size() > 16) {
                KNOWN.clear(); // a JVM whose children's class path keeps changing: no unbounded map
            }
            KNOWN.put(argument, file);
            CacheRetention.deleteUnusedOnce(directory, PREFIX);
            return file;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static boolean holds(Path file, byte[] content) {
        try {
            return Files.size(file) == content.length && Arrays.equals(Files.readAllBytes(file), content);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The argument as one token of an argument file: in double quotes, with the escapes the
     * launcher undoes inside them (a backslash, a quote, and the whitespace that would otherwise
     * end the token or the line). Every other character, non-ASCII included, is itself.
     */
    static String quoted(String argument) {
        StringBuilder token = new StringBuilder(argument.length() + 16).append('"');
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            switch (c) {
                case '\\': token.append("\\\\"); break;
                case '"': token.append("\\\""); break;
                case '\n': token.append("\\n"); break;
                case '\r': token.append("\\r"); break;
                case '\t': token.append("\\t"); break;
                case '\f': token.append("\\f"); break;
                default: token.append(c);
            }
        }
        return token.append('"').toString();
    }

    private static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
