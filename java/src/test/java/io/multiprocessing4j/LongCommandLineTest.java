package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM whose class path is longer than execve takes in one string (128 KiB), given to it in an
 * argument file as Gradle, IntelliJ and Bazel give a class path of thousands of jars, and whose
 * children get a {@code -D} option as long, holding every character an argument file must escape:
 * a child and a pool's workers start (spawned or warm) and get the class path and the option
 * exactly. Before, every start failed in execve with E2BIG.
 */
@ProcessSemantics
@Timeout(180)
class LongCommandLineTest {
    /** Quotes, backslashes, whitespace of every kind, comment and argument-file signs, non-ASCII. */
    static final String AWKWARD = " \"double\" 'single' back\\slash\\ #hash @at\ttab\nnewline\rreturn\fform"
            + " \u00e9 \u4e2d \ud83d\ude00 trailing\\";
    static final String PROPERTY = "mp4j.test.long";

    /** A value longer than execve takes, built in code: the parent's own launcher never parses it. */
    static String longValue() {
        return "v".repeat(140 * 1024) + AWKWARD;
    }

    /** What identifies a long string in a report line. */
    static String digest(String value) {
        return value == null ? "null" : value.length() + ":" + value.hashCode();
    }

    static int square(int x) {
        return x * x;
    }

    public static final class Parent {
        public static void main(String[] args) throws Exception {
            ProcessContext context = ProcessContext.defaultContext().toBuilder()
                    .jvmOptions("-D" + PROPERTY + "=" + longValue()).build();
            ChildProcess child = context.newProcess(() -> {
                SeparateJvm.report("CHILD_CLASS_PATH", digest(System.getProperty("java.class.path")));
                SeparateJvm.report("CHILD_PROPERTY", digest(System.getProperty(PROPERTY)));
                try {
                    byte[] commandLine = Files.readAllBytes(Path.of("/proc/self/cmdline"));
                    SeparateJvm.report("CHILD_COMMAND_LINE_BYTES", commandLine.length);
                } catch (java.io.IOException e) {
                    SeparateJvm.report("CHILD_COMMAND_LINE_BYTES", e);
                }
            });
            child.start();
            child.join(Duration.ofSeconds(60));
            SeparateJvm.report("CHILD_EXIT", child.exitCode().orElse(-999));
            try (Pool pool = Pool.builder().processes(2).context(context).build()) {
                SeparateJvm.report("POOL", pool.map(LongCommandLineTest::square, List.of(1, 2, 3)));
            }
            SeparateJvm.report("CLASS_PATH", digest(System.getProperty("java.class.path")));
        }
    }

    @Test
    void childrenOfAJvmWithAClassPathBeyondExecveStartWithItAndALongOption(@TempDir Path directory) throws Exception {
        StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        for (int i = 0; classPath.length() < 160 * 1024; i++) {
            classPath.append(File.pathSeparator).append(directory).append("/absent/repository/org/example/artifact-")
                    .append(i).append("/1.0.0/artifact-").append(i).append("-1.0.0.jar");
        }
        Path arguments = directory.resolve("class-path");
        Files.writeString(arguments, "\"" + classPath + "\"\n", StandardCharsets.UTF_8);
        Path cache = directory.resolve("cache");
        try (SeparateJvm jvm = SeparateJvm.startWithClassPath(directory, List.of(),
                List.of("-Dmultiprocessing4j.cacheDir=" + cache), "@" + arguments, Parent.class)) {
            assertEquals(0, jvm.awaitExit(150), jvm.stdout() + jvm.stderr());
            String facts = jvm.stdout() + jvm.stderr();
            assertEquals(digest(classPath.toString()), jvm.fact("CLASS_PATH"), "the parent's own, from its file");
            assertEquals("0", jvm.fact("CHILD_EXIT"), facts);
            assertEquals(digest(classPath.toString()), jvm.fact("CHILD_CLASS_PATH"), facts);
            assertEquals(digest(longValue()), jvm.fact("CHILD_PROPERTY"), facts);
            assertTrue(Integer.parseInt(jvm.fact("CHILD_COMMAND_LINE_BYTES")) < 64 * 1024,
                    "the long arguments came from files: " + facts);
            assertEquals("[1, 4, 9]", jvm.fact("POOL"), facts);
        }
        try (var files = Files.list(cache)) {
            assertEquals(2, files.filter(file -> file.getFileName().toString().startsWith("args-")).count(),
                    "one file for the class path, one for the option, shared by every start");
        }
    }
}
