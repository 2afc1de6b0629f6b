package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library is a module that exports exactly its public packages: every package of the main
 * sources but {@code io.multiprocessing4j.internal} and its sub-packages, which stay sealed. Read
 * from the compiled classes (the jar is built after the tests; {@code jar --describe-module} on it
 * shows the same descriptor).
 */
@Timeout(120)
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
            if (exports.isQualified()) {
                // the one internal package the cluster module uses (its values' encoding), to it alone
                assertEquals(INTERNAL + ".transfer", exports.source(), "qualified export: " + exports);
                assertEquals(Set.of("io.multiprocessing4j.hazelcast"), exports.targets(), "qualified export: " + exports);
                continue;
            }
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

    /**
     * An application module that requires the library runs a child on the module path: the child
     * JVM is started in the module, its target (a lambda capturing a list, so it travels by Java
     * serialization) runs there, and the application cannot reach into {@code internal}.
     */
    @Test
    void anApplicationOnTheModulePathRunsAChildAndCannotReachInside(@TempDir Path directory) throws Exception {
        Path sources = directory.resolve("src");
        Files.createDirectories(sources.resolve("app"));
        Files.writeString(sources.resolve("module-info.java"), "module app { requires io.multiprocessing4j; }");
        Files.writeString(sources.resolve("app/Main.java"), String.join("\n",
                "package app;",
                "public class Main {",
                "    public static void main(String[] args) throws Exception {",
                "        java.util.List<Integer> code = new java.util.ArrayList<>(java.util.List.of(7));",
                "        io.multiprocessing4j.ChildProcess child =",
                "                new io.multiprocessing4j.ChildProcess(() -> System.exit(code.get(0)));",
                "        child.start();",
                "        child.join();",
                "        System.out.println(\"exit code \" + child.exitCode().getAsInt());",
                "        try {",
                "            Class.forName(\"io.multiprocessing4j.internal.nativ.Spawn\").getDeclaredMethods()[0]",
                "                    .setAccessible(true);",
                "            System.out.println(\"internal open\");",
                "        } catch (java.lang.reflect.InaccessibleObjectException expected) {",
                "            System.out.println(\"internal sealed\");",
                "        }",
                "    }",
                "}"));
        Path classes = directory.resolve("classes");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = compiler.getTask(diagnostics, null, null,
                List.of("--release", "17", "--module-path", CLASSES.toString(), "-d", classes.toString()), null,
                compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(
                        sources.resolve("module-info.java"), sources.resolve("app/Main.java"))).call();
        assertTrue(compiled, diagnostics.toString());

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process app = new ProcessBuilder(java, "--enable-native-access=io.multiprocessing4j",
                "--module-path", CLASSES.toAbsolutePath() + File.pathSeparator + classes, "-m", "app/app.Main")
                .redirectErrorStream(true).start();
        try {
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the application did not end");
            String output = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, app.exitValue(), output);
            assertTrue(output.contains("exit code 7"), output);
            assertTrue(output.contains("internal sealed"), output);
        } finally {
            app.destroyForcibly();
        }
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
