package io.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.internal.nativ.NativeLibrary;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM whose user has no passwd entry, as an arbitrary uid in a container runs ({@code docker run
 * --user}, OpenShift): {@code user.home} is "?" (JDK 17) or an unwritable "/" (from {@code $HOME}),
 * and {@code user.name} "?". It still gets the native library and the class-data archive for its
 * children, in a private folder of {@code java.io.tmpdir} named by its uid; and a folder of that
 * name that belongs to someone else is never used. Runs the JVM under {@code setpriv} (needs root).
 */
@Timeout(300)
class CacheDirectoriesTest {
    /** A uid with no passwd entry here (checked before use). */
    private static final int NAMELESS = 54321;

    private Path directory;
    private Path temporary;

    /**
     * Reports where the library came from, starts a child, waits for the class-data archive, and
     * starts another; each child reports the sharing option it was started with.
     */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            SeparateJvm.report("HOME", System.getProperty("user.home"));
            SeparateJvm.report("LIBRARY", NativeLibrary.path());
            ProcessContext context = ProcessContext.builder().build();
            startAndJoin(context, "FIRST");
            SeparateJvm.report("ARCHIVE_READY", context.awaitClassDataArchive(Duration.ofSeconds(150)));
            startAndJoin(context, "SECOND");
        }

        private static void startAndJoin(ProcessContext context, String name) throws InterruptedException {
            ChildProcess child = context.newProcess(() -> SeparateJvm.report(name, sharingOption()));
            child.start();
            child.join(Duration.ofSeconds(60));
            SeparateJvm.report(name + "_EXIT", child.exitCode().orElse(-999));
            child.close();
        }

        private static String sharingOption() {
            for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (option.startsWith("-XX:AOTCache=") || option.startsWith("-XX:SharedArchiveFile=")) {
                    return option.substring(option.indexOf('=') + 1);
                }
            }
            return "none";
        }
    }

    @BeforeEach
    void namelessUserAndTemporaryDirectory() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")) && new File("/usr/bin/setpriv").canExecute(),
                "needs root and setpriv to run a JVM as a uid without a passwd entry: skipped");
        assumeTrue(Files.readAllLines(Path.of("/etc/passwd")).stream().noneMatch(line -> line.contains(":" + NAMELESS + ":")),
                "uid " + NAMELESS + " has a passwd entry here: skipped");
        directory = Files.createTempDirectory("cache-directories");
        // The nameless user's java.io.tmpdir: a shared, writable folder, as /tmp is.
        temporary = Files.createDirectory(directory.resolve("tmp"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void deleteEverything() throws IOException {
        if (directory != null) {
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private SeparateJvm runProbe() throws Exception {
        Path classes = Path.of(NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> prefix = List.of("/usr/bin/setpriv", "--reuid=" + NAMELESS, "--regid=" + NAMELESS,
                "--clear-groups", "env", "-u", "XDG_CACHE_HOME", "HOME=/");
        List<String> options = List.of("-D" + CacheDirectories.PROPERTY + "=", // none configured: the defaults
                "-Djava.io.tmpdir=" + temporary, "-Dmultiprocessing4j.classDataArchive=true");
        SeparateJvm jvm = SeparateJvm.startWithClassPath(directory, prefix, options,
                classes + File.pathSeparator + testClasses, Probe.class);
        assertEquals(0, jvm.awaitExit(240), jvm.stdout() + jvm.stderr());
        assertEquals("0", jvm.fact("FIRST_EXIT"), jvm.stdout() + jvm.stderr());
        assertEquals("0", jvm.fact("SECOND_EXIT"), jvm.stdout() + jvm.stderr());
        return jvm;
    }

    @Test
    void aUserWithoutAPasswdEntryKeepsLibraryAndArchiveInAPrivateTemporaryFolder() throws Exception {
        Path own = temporary.resolve("multiprocessing4j-" + NAMELESS);
        try (SeparateJvm jvm = runProbe()) {
            String facts = jvm.stdout() + jvm.stderr();
            assertTrue(jvm.fact("LIBRARY").startsWith(own + "/"), facts);
            assertEquals("true", jvm.fact("ARCHIVE_READY"), "the archive was built: " + facts);
            assertEquals("none", jvm.fact("FIRST"), facts);
            assertTrue(jvm.fact("SECOND").startsWith(own + "/child-"), "the second child maps it: " + facts);
            assertEquals(NAMELESS, Files.getAttribute(own, "unix:uid"));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));
        }
    }

    @Test
    void aFolderOfThatNameOwnedBySomeoneElseIsNeverUsed() throws Exception {
        // Planted by another user (nobody) before ours ran, writable by all: a library or an archive
        // taken from it would be theirs to replace.
        Path planted = Files.createDirectory(temporary.resolve("multiprocessing4j-" + NAMELESS));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(planted, "unix:uid", 65534);
        try (SeparateJvm jvm = runProbe(); Stream<Path> left = Files.list(planted)) {
            String facts = jvm.stdout() + jvm.stderr();
            assertTrue(jvm.fact("LIBRARY").matches("/proc/[0-9]+/fd/[0-9]+"), "from anonymous memory: " + facts);
            assertEquals("false", jvm.fact("ARCHIVE_READY"), facts);
            assertEquals("none", jvm.fact("SECOND"), "no archive from that folder: " + facts);
            assertEquals(List.of(), left.toList(), "nothing written into it");
        }
    }
}
