package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.CacheDirectories;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.internal.process.WarmSpares;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program whose code, the library's included, is loaded by a class loader of its own rather than
 * from {@code java.class.path} (Maven's {@code exec:java}, a plugin host, a server): its children
 * get a class path that holds that code too, as CPython's spawn hands its child the parent's
 * {@code sys.path}, so that a child, and a pool's workers, run. A loader whose code no class path
 * can name fails the start at once, saying what to do. Each host runs in a JVM whose class path
 * holds only the host's own class.
 */
@ProcessSemantics
@Timeout(180)
class ChildClassPathTest {
    /** By name: a host must not load the plugin's class itself. */
    static final String PLUGIN = "io.multiprocessing4j.ChildClassPathTest$Plugin";
    /** Java's own classes only: loads the plugin from a URLClassLoader over args[0] (library and tests). */
    public static final class UrlHost {
        public static void main(String[] args) throws Exception {
            URL[] urls = new URL[args.length];
            for (int i = 0; i < args.length; i++) {
                urls[i] = Path.of(args[i]).toUri().toURL();
            }
            // Below the platform loader: nothing of the host's class path shows through.
            ClassLoader plugins = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(plugins);
            plugins.loadClass(PLUGIN).getMethod("run").invoke(null);
        }
    }

    /**
     * The library on the class path, the plugin from a URLClassLoader over args[0] (the tests) that
     * is also the context class loader: a pool's workers run the library's code, and need the
     * plugin's functions from that loader.
     */
    public static final class AppPathHost {
        public static void main(String[] args) throws Exception {
            ClassLoader plugins = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()},
                    ClassLoader.getSystemClassLoader());
            Thread.currentThread().setContextClassLoader(plugins);
            plugins.loadClass(PLUGIN).getMethod("run").invoke(null);
        }
    }

    /**
     * Loads the plugin from class-file bytes (args[1], the tests' classes), under a URLClassLoader
     * of the library (args[0]): the plugin's loader has no URL to pass on.
     */
    public static final class BytesHost {
        public static void main(String[] args) throws Exception {
            ClassLoader library = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Path classes = Path.of(args[1]);
            ClassLoader plugins = new ClassLoader(library) {
                @Override
                protected Class<?> findClass(String name) throws ClassNotFoundException {
                    try {
                        byte[] bytes = Files.readAllBytes(classes.resolve(name.replace('.', '/') + ".class"));
                        return defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
            };
            Thread.currentThread().setContextClassLoader(plugins);
            plugins.loadClass(PLUGIN).getMethod("run").invoke(null);
        }
    }

    /** The Start-Class of the Spring Boot executable jar: the plugin, run by Spring Boot's loader. */
    public static final class SpringApplication {
        public static void main(String[] args) throws Exception {
            Plugin.run();
        }
    }

    /** The plugin: a child and a pool, each reporting what it ran; or why it could not start. */
    public static final class Plugin {
        public static void run() throws Exception {
            SeparateJvm.report("PLUGIN_LOADER", Plugin.class.getClassLoader().getClass().getSimpleName());
            try {
                ChildProcess child = new ChildProcess(() -> SeparateJvm.report("CHILD_LOADER",
                        Plugin.class.getClassLoader() == ClassLoader.getSystemClassLoader() ? "app" : "other"));
                child.start();
                child.join(Duration.ofSeconds(60));
                SeparateJvm.report("CHILD_EXIT", child.exitCode().orElse(-999));
                child.close();
                try (Pool pool = new Pool(2)) {
                    SeparateJvm.report("SQUARES", pool.map(Plugin::square, List.of(1, 2, 3)));
                }
                // Under warm: the spares booted ahead of the pool's workers had their class path.
                ProcessContext.defaultContext().awaitWarmSpares(Duration.ofSeconds(60));
                SeparateJvm.report("SPARE_BOOT_FAILURES", WarmSpares.bootFailures());
                // Shared memory starts the resource tracker, a JVM of the library's own.
                try (Lock lock = new Lock()) {
                    lock.lock();
                    lock.unlock();
                }
                long tracker = ResourceTracker.trackerPid();
                Thread.sleep(500); // one that cannot load its main class is gone well before
                SeparateJvm.report("TRACKER_ALIVE", ProcessHandle.of(tracker).map(ProcessHandle::isAlive).orElse(false));
            } catch (RuntimeException e) {
                SeparateJvm.report("FAILED", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            SeparateJvm.report("CHILDREN_LEFT", ProcessHandle.current().children()
                    .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).count());
        }

        static int square(int x) {
            return x * x;
        }
    }

    private static Path classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A directory holding only {@code host}'s class files: the host JVM's whole class path. */
    private static Path hostOnly(Path directory, Class<?> host) throws IOException {
        Path root = Files.createDirectories(directory.resolve("host"));
        Path tests = classesOf(ChildClassPathTest.class);
        String prefix = host.getName().replace('.', '/');
        try (Stream<Path> files = Files.walk(tests)) {
            for (Path file : files.filter(f -> (tests.relativize(f).toString()).startsWith(prefix)).toList()) {
                Path copy = root.resolve(tests.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                try {
                    Files.copy(file, copy);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return root;
    }

    @Test
    void codeLoadedApartFromTheClassPathStillRunsInAChildAndInAPool(@TempDir Path directory) throws Exception {
        Path library = classesOf(ChildProcess.class);
        Path tests = classesOf(ChildClassPathTest.class);
        try (SeparateJvm jvm = SeparateJvm.startWithClassPath(directory, List.of(), List.of(),
                hostOnly(directory, UrlHost.class).toString(), UrlHost.class, library.toString(), tests.toString())) {
            assertEquals(0, jvm.awaitExit(150), jvm.stdout() + jvm.stderr());
            String facts = jvm.stdout() + jvm.stderr();
            assertEquals("URLClassLoader", jvm.fact("PLUGIN_LOADER"), facts);
            assertEquals("0", jvm.fact("CHILD_EXIT"), facts);
            assertEquals("app", jvm.fact("CHILD_LOADER"), "the child loads it from its class path: " + facts);
            assertEquals("[1, 4, 9]", jvm.fact("SQUARES"), facts);
            assertEquals("[]", jvm.fact("SPARE_BOOT_FAILURES"), facts);
            assertEquals("true", jvm.fact("TRACKER_ALIVE"), "the resource tracker booted too: " + facts);
            assertEquals(null, jvm.fact("FAILED"), facts);
        }
    }

    @Test
    void aPoolOfTheLibraryOnTheClassPathRunsFunctionsOfTheContextClassLoader(@TempDir Path directory)
            throws Exception {
        Path library = classesOf(ChildProcess.class);
        Path tests = classesOf(ChildClassPathTest.class);
        String classPath = library + java.io.File.pathSeparator + hostOnly(directory, AppPathHost.class);
        try (SeparateJvm jvm = SeparateJvm.startWithClassPath(directory, List.of(), List.of(), classPath,
                AppPathHost.class, tests.toString())) {
            assertEquals(0, jvm.awaitExit(150), jvm.stdout() + jvm.stderr());
            String facts = jvm.stdout() + jvm.stderr();
            assertEquals("URLClassLoader", jvm.fact("PLUGIN_LOADER"), facts);
            assertEquals("[1, 4, 9]", jvm.fact("SQUARES"), "the workers load the functions: " + facts);
            assertEquals("[]", jvm.fact("SPARE_BOOT_FAILURES"), facts);
            assertEquals(null, jvm.fact("FAILED"), facts);
        }
    }

    @Test
    void aSpringBootExecutableJarsNestedCodeRunsInAChildAndInAPool(@TempDir Path directory) throws Exception {
        Path jar = springBootJar(directory.resolve("app.jar"));
        // Its own cache: the nested jars are copied out there.
        List<String> options = List.of("-D" + CacheDirectories.PROPERTY + "=" + directory.resolve("cache"));
        try (SeparateJvm jvm = SeparateJvm.startWithClassPath(directory, List.of(), options, jar.toString(),
                org.springframework.boot.loader.launch.JarLauncher.class)) {
            assertEquals(0, jvm.awaitExit(150), jvm.stdout() + jvm.stderr());
            String facts = jvm.stdout() + jvm.stderr();
            assertEquals("LaunchedClassLoader", jvm.fact("PLUGIN_LOADER"), "run by Spring Boot's loader: " + facts);
            assertEquals("0", jvm.fact("CHILD_EXIT"), facts);
            assertEquals("app", jvm.fact("CHILD_LOADER"), facts);
            assertEquals("[1, 4, 9]", jvm.fact("SQUARES"), facts);
            assertEquals("[]", jvm.fact("SPARE_BOOT_FAILURES"), facts);
            assertEquals("true", jvm.fact("TRACKER_ALIVE"), facts);
            assertEquals(null, jvm.fact("FAILED"), facts);
        }
    }

    /**
     * An executable jar laid out as Spring Boot's build plugin lays one out: the loader's classes
     * at the root, the application's classes under BOOT-INF/classes, its libraries (here the
     * library, jarred from its classes) as jars stored uncompressed under BOOT-INF/lib.
     */
    private static Path springBootJar(Path jar) throws IOException {
        Path library = classesOf(ChildProcess.class);
        Path tests = classesOf(ChildClassPathTest.class);
        Path loader = classesOf(org.springframework.boot.loader.launch.JarLauncher.class);
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes main = manifest.getMainAttributes();
        main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(java.util.jar.Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
        main.putValue("Start-Class", SpringApplication.class.getName());
        main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
        main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest);
             java.util.zip.ZipFile loaderJar = new java.util.zip.ZipFile(loader.toFile())) {
            for (var entries = loaderJar.entries(); entries.hasMoreElements(); ) {
                java.util.zip.ZipEntry entry = entries.nextElement();
                if (entry.getName().startsWith("org/") && !entry.isDirectory()) {
                    out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                    out.write(loaderJar.getInputStream(entry).readAllBytes());
                    out.closeEntry();
                }
            }
            // Spring Boot's loader finds the nested class directory through its directory entries.
            for (String folder : List.of("BOOT-INF/", "BOOT-INF/classes/", "BOOT-INF/classes/io/",
                    "BOOT-INF/classes/io/multiprocessing4j/", "BOOT-INF/classes/io/multiprocessing4j/support/",
                    "BOOT-INF/lib/")) {
                out.putNextEntry(new java.util.zip.ZipEntry(folder));
                out.closeEntry();
            }
            try (Stream<Path> files = Files.walk(tests)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = tests.relativize(file).toString();
                    if (name.startsWith("io/multiprocessing4j/ChildClassPathTest$")
                            || name.startsWith("io/multiprocessing4j/support/SeparateJvm")) {
                        out.putNextEntry(new java.util.zip.ZipEntry("BOOT-INF/classes/" + name));
                        out.write(Files.readAllBytes(file));
                        out.closeEntry();
                    }
                }
            }
            byte[] nested = jarOf(library);
            java.util.zip.ZipEntry stored = new java.util.zip.ZipEntry("BOOT-INF/lib/multiprocessing4j.jar");
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(nested);
            stored.setMethod(java.util.zip.ZipEntry.STORED);
            stored.setSize(nested.length);
            stored.setCompressedSize(nested.length);
            stored.setCrc(crc.getValue());
            out.putNextEntry(stored);
            out.write(nested);
            out.closeEntry();
        }
        return jar;
    }

    private static byte[] jarOf(Path classes) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(bytes);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.zip.ZipEntry(classes.relativize(file).toString()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aJShellSnippetsTargetFailsStartAtOnceAsInPythonsInteractiveInterpreter(@TempDir Path directory)
            throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jshell), "no jshell in this JDK: skipped");
        Path script = Files.writeString(directory.resolve("start.jsh"), String.join("\n",
                "var child = new io.multiprocessing4j.ChildProcess(() -> System.out.println(\"CHILD ran\"));",
                "try { child.start(); child.join(); System.out.println(\"EXIT \" + child.exitCode()); }"
                        + " catch (Exception e) { System.out.println(\"FAILED \" + e.getMessage()); }",
                "System.out.println(\"CHILDREN \" + ProcessHandle.current().children().count());",
                "/exit", ""));
        Process process = new ProcessBuilder(jshell.toString(), "-J-Duser.home=" + directory, "-R--enable-native-access=ALL-UNNAMED",
                "--class-path", classesOf(ChildProcess.class).toString(), script.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("out.txt").toFile()).start();
        try {
            assertTrue(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "jshell did not finish");
            String out = Files.readString(directory.resolve("out.txt"));
            assertTrue(out.contains("FAILED a child JVM could not load REPL."), out);
            assertTrue(out.contains("defined it in memory (a JShell snippet)"), out);
            assertTrue(out.contains("Python's interactive interpreter"), out);
            assertTrue(out.contains("CHILDREN 0"), "no child JVM was started: " + out);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void codeNoClassPathCanNameFailsStartAtOnceSayingWhatToDo(@TempDir Path directory) throws Exception {
        Path library = classesOf(ChildProcess.class);
        Path tests = classesOf(ChildClassPathTest.class);
        try (SeparateJvm jvm = SeparateJvm.startWithClassPath(directory, List.of(), List.of(),
                hostOnly(directory, BytesHost.class).toString(), BytesHost.class, library.toString(), tests.toString())) {
            assertEquals(0, jvm.awaitExit(150), jvm.stdout() + jvm.stderr());
            String failure = jvm.fact("FAILED");
            assertTrue(failure != null && failure.startsWith("ProcessStartException: "), jvm.stdout() + jvm.stderr());
            assertTrue(failure.contains("could not load " + Plugin.class.getName()), failure);
            assertTrue(failure.contains("ProcessContext.builder().classPath("), failure);
            assertEquals("0", jvm.fact("CHILDREN_LEFT"), "no child JVM was started: " + jvm.stdout());
        }
    }
}
