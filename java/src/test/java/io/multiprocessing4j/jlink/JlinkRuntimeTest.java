package io.multiprocessing4j.jlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime made with jlink, as a small container image is, holding the library as a module of
 * its own (with java.base and java.management, what it requires): a child, a queue between them
 * and a pool run from it, children being JVMs of that runtime too. (This test lives in a package
 * of its own: the image's module owns the library's packages, so a main class of the tests in one
 * of them would be hidden from the class path.)
 */
@ProcessSemantics
@Timeout(120)
class JlinkRuntimeTest {
    static int square(int x) {
        return x * x;
    }

    /** Runs in the image's JVM: the library from its module, this class from the class path. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            Module library = ChildProcess.class.getModule();
            SeparateJvm.report("LIBRARY", library.getName() + " " + (library.getLayer() == ModuleLayer.boot()));
            SeparateJvm.report("JAVA_HOME", System.getProperty("java.home"));
            ChildProcess exiting = new ChildProcess(() -> System.exit(3));
            exiting.start();
            exiting.join(Duration.ofSeconds(60));
            SeparateJvm.report("EXIT", exiting.exitCode().orElse(-999));
            Queue<String> queue = new Queue<>();
            ChildProcess sender = new ChildProcess(() -> {
                try {
                    queue.put("from " + System.getProperty("java.home"));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            SeparateJvm.report("QUEUE", queue.get());
            sender.join(Duration.ofSeconds(60));
            try (Pool pool = new Pool(2)) {
                SeparateJvm.report("POOL", pool.map(JlinkRuntimeTest::square, List.of(1, 2, 3)));
            }
        }
    }

    @Test
    void aJlinkedRuntimeWithTheLibraryAsAModuleRunsChildrenQueuesAndPools(@TempDir Path directory)
            throws Exception {
        Optional<ToolProvider> jlink = ToolProvider.findFirst("jlink");
        assumeTrue(jlink.isPresent(), "a JDK with jlink");
        Path library = Path.of(ChildProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path image = directory.resolve("image");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        int status = jlink.get().run(out, out, "--module-path", library.toString(), "--add-modules",
                "io.multiprocessing4j", "--output", image.toString());
        assertEquals(0, status, output.toString(StandardCharsets.UTF_8));
        Path java = image.resolve("bin/java");
        assertTrue(Files.isExecutable(java));

        try (SeparateJvm jvm = SeparateJvm.startOn(java, List.of(), Main.class)) {
            assertEquals(0, jvm.awaitExit(100), jvm.stdout() + jvm.stderr());
            String facts = jvm.stdout() + jvm.stderr();
            assertEquals("io.multiprocessing4j true", jvm.fact("LIBRARY"), "the library from the image: " + facts);
            assertEquals(image.toString(), jvm.fact("JAVA_HOME"), facts);
            assertEquals("3", jvm.fact("EXIT"), facts);
            assertEquals("from " + image, jvm.fact("QUEUE"), "a child of the image's java: " + facts);
            assertEquals("[1, 4, 9]", jvm.fact("POOL"), facts);
        }
    }
}
