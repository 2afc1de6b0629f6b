package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.process.ResourceTracker;
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
            assertEquals("true", jvm.fact("TRACKER_ALIVE"), "the resource tracker booted too: " + facts);
            assertEquals(null, jvm.fact("FAILED"), facts);
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
