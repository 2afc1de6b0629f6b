package io.multiprocessing4j.internal.process;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a class-data archive depends on, hashed: the JVM build (java.home, java.vm.version and its
 * module image), the archive kind, the JVM options and the class and module paths with each
 * entry's size and modification time (a rebuilt jar gives another key). Not the {@code -D}
 * properties, nor the main class: they do not change what an archive holds. Two keys are equal
 * when their hashes are.
 */
final class ArchiveKey {
    /** Keys already computed in this JVM, by command line: a start stats no jar twice. */
    private static final Map<List<String>, ArchiveKey> KNOWN = new ConcurrentHashMap<>();

    final ArchiveKind kind;
    final String hash;
    /** The command line it was computed from, up to and including the main class. */
    final List<String> argv;

    private ArchiveKey(ArchiveKind kind, String hash, List<String> argv) {
        this.kind = kind;
        this.hash = hash;
        this.argv = argv;
    }

    static ArchiveKey of(List<String> argv) {
        List<String> copy = List.copyOf(argv);
        ArchiveKey known = KNOWN.get(copy);
        if (known != null) {
            return known;
        }
        ArchiveKind kind = ArchiveKind.forCommandLine(copy);
        ArchiveKey key = new ArchiveKey(kind, hash(kind, copy), copy);
        if (KNOWN.size() < 64) {
            KNOWN.put(copy, key);
        }
        return key;
    }

    static void forgetKnown() {
        KNOWN.clear();
    }

    /** The command line without its main class ({@code Main} or {@code -m module/Main}). */
    static List<String> withoutMainClass(List<String> argv) {
        int end = argv.size() - 1;
        if (end >= 1 && argv.get(end - 1).equals("-m")) {
            end--;
        }
        return argv.subList(0, end);
    }

    private static String hash(ArchiveKind kind, List<String> argv) {
        List<String> parts = new ArrayList<>();
        parts.add(kind.name());
        String home = System.getProperty("java.home");
        parts.add(home);
        parts.add(System.getProperty("java.vm.version"));
        parts.add(stamp(Path.of(home, "lib", "modules").toString()));
        List<String> options = withoutMainClass(argv);
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (option.startsWith("-D")) {
                continue;
            }
            parts.add(option);
            if ((option.equals("-cp") || option.equals("-classpath") || option.equals("--class-path")
                    || option.equals("--module-path") || option.equals("-p")) && i + 1 < options.size()) {
                String path = options.get(++i);
                parts.add(path);
                for (String entry : path.split(File.pathSeparator)) {
                    parts.add(stamp(entry));
                }
            }
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A file's size and modification time; a directory's are left out (its mtime moves with every build). */
    private static String stamp(String file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
            return attributes.isDirectory() ? "dir"
                    : attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        } catch (Exception e) {
            return "absent";
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArchiveKey && ((ArchiveKey) other).hash.equals(hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return hash;
    }
}
