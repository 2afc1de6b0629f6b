package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.internal.nativ.NativeLibrary;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the library goes when the cache directory cannot take it: read-only, or on a noexec
 * mount (the dynamic linker cannot map code from one), the next place is java.io.tmpdir; with
 * both unusable, anonymous memory. In every case a child process still starts. When nothing
 * works, one error lists every attempt, on every call.
 *
 * <p>The mounts are made in a mount namespace of the test JVM's own ({@code unshare -m}, as
 * root); those cases are skipped, with a message, where that is not allowed.
 */
@Timeout(180)
class NativeLibraryLocationTest {
    private static boolean namespaces;

    /** Loads the library, starts a child and prints: the loaded path, the child's exit code. */
    public static final class LoadAndStartChild {
        public static void main(String[] args) throws Exception {
            try {
                System.out.println("PATH " + NativeLibrary.path());
            } catch (UnsatisfiedLinkError first) {
                System.out.println("FIRST " + first.getMessage().replace('\n', '|'));
                try {
                    NativeLibrary.load();
                } catch (UnsatisfiedLinkError second) {
                    System.out.println("SECOND " + second.getMessage().replace('\n', '|'));
                }
                for (int call = 1; call <= 2; call++) {
                    try {
                        Multiprocessing.cpuCount();
                    } catch (Throwable publicCall) {
                        boolean cause = false;
                        for (Throwable t = publicCall; t != null; t = t.getCause()) {
                            cause |= String.valueOf(t.getMessage()).contains(first.getMessage().split("\n")[0]);
                        }
                        System.out.println("PUBLIC" + call + " " + publicCall.getClass().getName() + " " + cause);
                    }
                }
                return;
            }
            ChildProcess child = new ChildProcess(() -> System.out.println("CHILD " + NativeLibrary.path()));
            child.start();
            child.join();
            System.out.println("EXIT " + child.exitCode().orElseThrow());
        }
    }

    @BeforeAll
    static void probeNamespaces() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-m", "--propagation", "private", "true")
                .redirectErrorStream(true).start();
        namespaces = probe.waitFor() == 0;
        if (!namespaces) {
            System.out.println("NativeLibraryLocationTest: no mount namespace (unshare -m needs root): "
                    + "the noexec cases are skipped");
        }
    }

    /** unshare -m, mounting a tmpfs with the given options over each directory, then the JVM. */
    private static List<String> mounting(String options, Path... directories) {
        StringBuilder script = new StringBuilder("set -e; ");
        for (Path directory : directories) {
            script.append("mount -t tmpfs -o ").append(options).append(",size=16m,mode=0700 tmpfs '")
                    .append(directory).append("'; ");
        }
        script.append("exec \"$@\"");
        return List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script.toString(), "sh");
    }

    private static SeparateJvm run(Path directory, List<String> prefix, Path cache, Path tmp) throws Exception {
        List<String> options = new ArrayList<>();
        options.add("-D" + NativeLibrary.CACHE_PROPERTY + "=" + cache);
        options.add("-Djava.io.tmpdir=" + tmp);
        SeparateJvm jvm = SeparateJvm.start(directory, prefix, options, LoadAndStartChild.class);
        int status = jvm.awaitExit(120);
        assertEquals(0, status, jvm.stdout() + jvm.stderr());
        return jvm;
    }

    private static void assertChildRan(SeparateJvm jvm) {
        assertEquals("0", jvm.fact("EXIT"), jvm.stdout() + jvm.stderr());
        assertTrue(jvm.fact("CHILD") != null, jvm.stdout());
    }

    @Test
    void aReadOnlyCacheDirectoryFallsBackToTheTemporaryDirectory(@TempDir Path directory) throws Exception {
        Path cache = Files.createDirectory(directory.resolve("cache"));
        Path tmp = Files.createDirectory(directory.resolve("tmp"));
        List<String> prefix;
        if (namespaces) {
            prefix = mounting("ro", cache);
        } else {
            assumeTrue(!"root".equals(System.getProperty("user.name")), "root writes a 0500 directory anyway");
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-x------"));
            prefix = List.of();
        }
        try (SeparateJvm jvm = run(directory, prefix, cache, tmp)) {
            assertTrue(jvm.fact("PATH").startsWith(tmp.toString()), jvm.stdout());
            assertChildRan(jvm);
        }
    }

    @Test
    void aNoexecCacheDirectoryFallsBackToTheTemporaryDirectory(@TempDir Path directory) throws Exception {
        assumeTrue(namespaces, "needs a mount namespace (root): skipped");
        Path cache = Files.createDirectory(directory.resolve("cache"));
        Path tmp = Files.createDirectory(directory.resolve("tmp"));
        try (SeparateJvm jvm = run(directory, mounting("noexec", cache), cache, tmp)) {
            assertTrue(jvm.fact("PATH").startsWith(tmp.toString()), jvm.stdout());
            assertChildRan(jvm);
        }
    }

    @Test
    void withCacheAndTemporaryDirectoryUnusableItLoadsFromAnonymousMemory(@TempDir Path directory) throws Exception {
        assumeTrue(namespaces, "needs a mount namespace (root): skipped");
        Path cache = Files.createDirectory(directory.resolve("cache"));
        Path tmp = Files.createDirectory(directory.resolve("tmp"));
        List<String> prefix = new ArrayList<>(mounting("noexec", cache));
        // The temporary directory read-only, the cache noexec: both failures in one run.
        prefix.set(6, prefix.get(6).replace("exec \"$@\"", "mount -t tmpfs -o ro tmpfs '" + tmp + "'; exec \"$@\""));
        try (SeparateJvm jvm = run(directory, prefix, cache, tmp)) {
            String path = jvm.fact("PATH");
            assertTrue(path.matches("/proc/[0-9]+/fd/[0-9]+"), jvm.stdout());
            assertChildRan(jvm);
            try (var files = Files.list(cache)) {
                assertEquals(0, files.filter(f -> f.toString().endsWith(".so")).count(), "nothing left in the cache");
            }
        }
    }

    @Test
    void whenNothingWorksOneErrorListsEveryAttemptOnEveryCall(@TempDir Path directory) throws Exception {
        assumeTrue(namespaces, "needs a mount namespace (root): skipped");
        assumeTrue(Runtime.version().feature() < 22, "JDK 22+ loads from a memfd, which no mount can forbid");
        Path cache = Files.createDirectory(directory.resolve("cache"));
        Path tmp = Files.createDirectory(directory.resolve("tmp"));
        List<String> prefix = mounting("noexec", cache, tmp, Path.of("/dev/shm"));
        List<String> options = List.of("-D" + NativeLibrary.CACHE_PROPERTY + "=" + cache, "-Djava.io.tmpdir=" + tmp);
        try (SeparateJvm jvm = SeparateJvm.start(directory, prefix, options, LoadAndStartChild.class)) {
            assertEquals(0, jvm.awaitExit(120), jvm.stdout() + jvm.stderr());
            String first = jvm.fact("FIRST");
            assertTrue(first != null, jvm.stdout() + jvm.stderr());
            for (String expected : List.of(cache.toString(), tmp.toString(), "memfd_create", "/dev/shm", "glibc ",
                    "Linux " + System.getProperty("os.version"), NativeLibrary.CACHE_PROPERTY,
                    NativeLibrary.PATH_PROPERTY, "noexec")) {
                assertTrue(first.contains(expected), "'" + expected + "' missing from: " + first.replace('|', '\n'));
            }
            assertEquals(first, jvm.fact("SECOND"), "a later load reports the same");
            assertEquals("java.lang.UnsatisfiedLinkError true", jvm.fact("PUBLIC1"),
                    "the first public call reports the real cause, not NoClassDefFoundError");
            assertEquals("java.lang.UnsatisfiedLinkError true", jvm.fact("PUBLIC2"),
                    "a later public call reports the same, not NoClassDefFoundError");
            System.out.println("NativeLibraryLocationTest: the error reads:\n" + first.replace('|', '\n'));
        }
    }
}
