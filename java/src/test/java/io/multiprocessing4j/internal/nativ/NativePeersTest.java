package io.multiprocessing4j.internal.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pairing of native/ and internal.nativ is one to one and by name: each C file that binds
 * natives binds those of exactly one class, whose name is the file's in CamelCase
 * (file_descriptors.c: FileDescriptors; native_library.c, which binds them all at load, names
 * only NativeLibrary), and every class with natives has its file. Natives are
 * private: callers go through the peer's Java methods, which check results.
 */
class NativePeersTest {
    private static final Pattern BOUND_CLASS = Pattern.compile("MP4J_PACKAGE \"(\\w+)\"");
    /** The part of spawn.c that runs in the child between clone and execve: no JNI there. */
    private static final String CHILD_HALF = "spawn_child.c";

    private static Path nativeSources() {
        Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        Path here = base.resolve("native");
        return Files.isDirectory(here) ? here : base.getParent().resolve("native");
    }

    static String camelCase(String fileName) {
        StringBuilder name = new StringBuilder();
        for (String part : fileName.replaceFirst("\\.c$", "").split("_")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    @Test
    void eachCFileBindsTheClassOfItsName() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(nativeSources())) {
            files = listed.filter(p -> p.getFileName().toString().endsWith(".c")).sorted().toList();
        }
        assertTrue(files.size() > 10, "C files found in " + nativeSources() + ": " + files);
        for (Path file : files) {
            String name = file.getFileName().toString();
            String source = Files.readString(file);
            Set<String> bound = new TreeSet<>();
            Matcher matcher = BOUND_CLASS.matcher(source);
            while (matcher.find()) {
                bound.add(matcher.group(1));
            }
            if (name.equals(CHILD_HALF)) {
                assertEquals(Set.of(), bound, name + " binds no natives of its own");
                continue;
            }
            assertEquals(Set.of(camelCase(name)), bound, name + " binds the natives of exactly its namesake");
        }
    }

    @Test
    void everyClassWithNativesHasItsFileAndKeepsThemPrivate() throws Exception {
        Path classes = Path.of(NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(NativeLibrary.class.getPackageName().replace('.', '/'));
        List<String> peers = new ArrayList<>();
        try (Stream<Path> listed = Files.list(classes)) {
            for (Path file : (Iterable<Path>) listed.sorted()::iterator) {
                String simple = file.getFileName().toString();
                if (!simple.endsWith(".class") || simple.contains("$")) {
                    continue;
                }
                Class<?> type = Class.forName(NativeLibrary.class.getPackageName() + "." + simple.replace(".class", ""),
                        false, NativeLibrary.class.getClassLoader());
                boolean hasNatives = false;
                for (Method method : type.getDeclaredMethods()) {
                    if (Modifier.isNative(method.getModifiers())) {
                        hasNatives = true;
                        assertTrue(Modifier.isPrivate(method.getModifiers()), method + " is private");
                    }
                }
                if (hasNatives) {
                    peers.add(type.getSimpleName());
                    String cFile = snakeCase(type.getSimpleName()) + ".c";
                    assertTrue(Files.exists(nativeSources().resolve(cFile)), type + " has its C file " + cFile);
                }
            }
        }
        assertTrue(peers.contains("Spawn") && peers.contains("FileDescriptors"), "peers found: " + peers);
    }

    private static String snakeCase(String className) {
        return className.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
