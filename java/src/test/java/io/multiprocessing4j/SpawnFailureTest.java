package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every way start() can fail says why, promptly, and leaves no child, zombie or fd behind. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class SpawnFailureTest {

    /** Not serializable on purpose. */
    static final class Unserializable {
        int value = 1;
    }

    @Test
    void anUnserializableTargetFailsInStartNamingTheClass() {
        Unserializable captured = new Unserializable();
        ChildProcess child = new ChildProcess(() -> System.out.println(captured.value));
        ProcessStartException e = assertThrows(ProcessStartException.class, child::start);
        assertTrue(e.getMessage().contains(Unserializable.class.getName()), e.getMessage());
        assertInstanceOf(NotSerializableException.class, e.getCause());
        assertEquals(List.of(), Multiprocessing.activeChildren());
    }

    @Test
    void aJvmThatCannotBootFailsStartWithWhatItPrinted() throws InterruptedException {
        ProcessContext context = ProcessContext.defaultContext().toBuilder().jvmOptions("-XX:+SurelyNotAnOption").build();
        long began = System.nanoTime();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> context.newProcess(() -> { }).start());
        assertTrue(e.getMessage().contains("exited with code 1 before running its target"), e.getMessage());
        assertTrue(e.getMessage().contains("SurelyNotAnOption"), e.getMessage());
        assertTrue(System.nanoTime() - began < Duration.ofSeconds(30).toNanos());
        assertEquals(List.of(), ProcessTable.lastingZombieChildren(ProcessHandle.current().pid()));
    }

    /**
     * The JVM prints why its own initialization failed (a heap it cannot size or reserve, a thread it
     * cannot create under a process limit) on stdout, where it was lost among the program's output:
     * children print it on stderr, so that start()'s exception carries it.
     */
    @Test
    void aJvmWhoseInitializationFailsFailsStartWithItsReason() {
        ProcessContext context = ProcessContext.defaultContext().toBuilder().jvmOptions("-Xms64m", "-Xmx32m").build();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> context.newProcess(() -> { }).start());
        assertTrue(e.getMessage().contains("Error occurred during initialization of VM"), e.getMessage());
        assertTrue(e.getMessage().contains("Initial heap size set to a larger value than the maximum heap size"),
                e.getMessage());
    }

    /**
     * Some boot failures the JVM tells only through unified logging, whose warnings and errors
     * HotSpot writes to stdout: a JVM that cannot start its first GC thread (here, for a stack
     * that cannot be mapped; in the field, a per-user task limit) exits with code 1 and nothing on
     * stderr. Children log to stderr, so that start()'s exception says why. (Under spawn: warm
     * spares of such a context fail at their boot too, some after the test, into its directory.)
     */
    @Test
    void aJvmThatCannotStartItsFirstThreadFailsStartSayingSo(@TempDir Path directory) {
        ProcessContext context = Multiprocessing.getContext("spawn").toBuilder()
                .jvmOptions("-XX:VMThreadStackSize=100000000", // KiB, some 95 GiB: no thread of the JVM's own starts
                        "-XX:ErrorFile=" + directory.resolve("hs_err_pid%p.log")) // JDK 17 writes one
                .build();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> context.newProcess(() -> { }).start());
        assertTrue(e.getMessage().contains("exited with code 1 before running its target"), e.getMessage());
        assertTrue(e.getMessage().contains("Failed to start thread"), e.getMessage());
        assertTrue(e.getMessage().contains("it could not start a thread"), e.getMessage());
    }

    @Test
    void aMissingJavaBinaryFailsWithExecveAndEnoent() throws InterruptedException {
        ProcessContext context = ProcessContext.defaultContext().toBuilder().javaExecutable("/nonexistent/bin/java").build();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> context.newProcess(() -> { }).start());
        SystemCallException cause = assertInstanceOf(SystemCallException.class, e.getCause());
        assertEquals("execve(/nonexistent/bin/java)", cause.call());
        assertEquals("ENOENT", cause.errnoName());
        assertTrue(e.getMessage().contains("execve(/nonexistent/bin/java) failed: ENOENT"), e.getMessage());
        assertTrue(e.getMessage().contains("the context's javaExecutable names no program"), e.getMessage());
        assertEquals(List.of(), ProcessTable.lastingZombieChildren(ProcessHandle.current().pid()));
    }

    /**
     * A runtime without a java launcher (jlink --strip-native-commands, a jpackage application):
     * start() says so and how to name one. The runtime here is this one's, less its bin directory,
     * as such runtimes are: a java.home whose other entries link to this JVM's.
     */
    @Test
    void aRuntimeWithoutAJavaLauncherFailsStartSayingHowToNameOne(@TempDir Path directory) throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        try (var entries = Files.list(home)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().equals("bin")) {
                    Files.createSymbolicLink(directory.resolve(entry.getFileName()), entry);
                }
            }
        }
        try (SeparateJvm jvm = SeparateJvm.start(directory, LauncherlessRuntime.class, directory.toString())) {
            assertEquals(0, jvm.awaitExit(60), jvm.stderr());
            String message = jvm.fact("MESSAGE");
            assertTrue(message.contains("execve(" + directory + "/bin/java) failed: ENOENT"), message);
            assertTrue(message.contains("has no java launcher") && message.contains("javaExecutable(...)"), message);
        }
    }

    /** As if this JVM's runtime had no bin/java: its java.home is args[0]. */
    public static final class LauncherlessRuntime {
        public static void main(String[] args) {
            System.setProperty("java.home", args[0]);
            try {
                new ChildProcess(() -> { }).start();
                SeparateJvm.report("MESSAGE", "started");
            } catch (ProcessStartException e) {
                SeparateJvm.report("MESSAGE", e.getMessage());
            }
        }
    }

    @Test
    void aProgramThatIsNotOurChildJvmIsReportedWithItsExitCode(@TempDir Path directory) throws Exception {
        Path fake = script(directory, "fake-java", "#!/bin/sh\necho 'not a JVM' >&2\nexit 3\n");
        ProcessContext context = ProcessContext.defaultContext().toBuilder().javaExecutable(fake.toString()).build();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> context.newProcess(() -> { }).start());
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("not a JVM"), e.getMessage());
    }

    @Test
    void aChildThatNeverAnswersIsKilledAfterTheBootTimeout(@TempDir Path directory) throws Exception {
        Path silent = script(directory, "silent-java", "#!/bin/sh\nexec sleep 60\n");
        ProcessContext context = ProcessContext.defaultContext().toBuilder().javaExecutable(silent.toString())
                .bootTimeout(Duration.ofMillis(700)).build();
        long began = System.nanoTime();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> context.newProcess(() -> { }).start());
        long elapsedMillis = (System.nanoTime() - began) / 1_000_000;
        assertTrue(e.getMessage().contains("did not take its target within 700 ms; killed it"), e.getMessage());
        assertTrue(elapsedMillis >= 690 && elapsedMillis < 15_000, "failed after " + elapsedMillis + " ms");
        assertEquals(List.of(), ProcessTable.lastingZombieChildren(ProcessHandle.current().pid()));
    }

    @Test
    void aTargetClassMissingInTheChildFailsStartWithTheReason(@TempDir Path directory) {
        // A child whose class path lacks the test classes cannot deserialize a test lambda.
        String libraryOnly = Path.of(ChildProcess.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        ProcessContext context = ProcessContext.defaultContext().toBuilder().classPath(libraryOnly).build();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> context.newProcess(() -> { }).start());
        assertTrue(e.getMessage().contains("cannot deserialize its target"), e.getMessage());
        assertTrue(e.getMessage().contains("ClassNotFoundException"), e.getMessage());
    }

    @Test
    void aFailedStartCanBeRetriedOrLeft() {
        ChildProcess child = ProcessContext.defaultContext().toBuilder().javaExecutable("/nonexistent/java").build().newProcess(() -> { });
        assertThrows(ProcessStartException.class, child::start);
        assertThrows(ProcessStartException.class, child::start, "still not started, so start may be called again");
        child.close();
    }

    private static Path script(Path directory, String name, String text) throws Exception {
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
