package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The library is a module that exports exactly its public packages: every package of the main
 * sources but {@code io.multiprocessing4j.internal} and its sub-packages, which stay sealed. Read
 * from the compiled classes (the jar is built after the tests; {@code jar --describe-module} on it
 * shows the same descriptor).
 */
@Timeout(60)
class ModulePathTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final List<Path> SOURCES =
            List.of(Path.of("src/main/java"), Path.of("target/generated-sources/sharedctypes"));
    private static final String INTERNAL = "io.multiprocessing4j.internal";

    @Test
    void theModuleExportsExactlyThePublicPackages() throws IOException {
        ModuleDescriptor descriptor = descriptor();
        assertEquals("io.multiprocessing4j", descriptor.name());
        Set<String> packages = sourcePackages();
        Set<String> expected = packages.stream().filter(name -> !isInternal(name))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(expected.contains("io.multiprocessing4j.pool") && expected.size() >= 10, String.valueOf(expected));
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports exports : descriptor.exports()) {
            assertTrue(!exports.isQualified(), "no qualified export: " + exports);
            exported.add(exports.source());
        }
        assertEquals(expected, exported);
        assertTrue(descriptor.packages().containsAll(packages),
                "the module holds every package, the sealed ones too: " + descriptor.packages());
        assertTrue(descriptor.opens().isEmpty() && !descriptor.isOpen(), "nothing is opened for reflection");
    }

    @Test
    void theModuleNeedsNothingButTheJdk() {
        Set<String> required = descriptor().requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("java.base", "java.management"), required);
    }

    private static ModuleDescriptor descriptor() {
        assertTrue(Files.isRegularFile(CLASSES.resolve("module-info.class")), "module-info was compiled");
        ModuleReference module = ModuleFinder.of(CLASSES).findAll().iterator().next();
        return module.descriptor();
    }

    private static boolean isInternal(String name) {
        return name.equals(INTERNAL) || name.startsWith(INTERNAL + ".");
    }

    /** Every package with a class in the main sources, generated ones included. */
    private static Set<String> sourcePackages() throws IOException {
        Set<String> packages = new TreeSet<>();
        for (Path root : SOURCES) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(file -> file.toString().endsWith(".java"))
                        .filter(file -> !file.getFileName().toString().equals("module-info.java"))
                        .forEach(file -> packages.add(root.relativize(file.getParent()).toString().replace('/', '.')));
            }
        }
        return packages;
    }
}
