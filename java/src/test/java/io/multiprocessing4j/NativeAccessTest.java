package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.support.NewerJdk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * From JDK 24 on, a JVM that loads a native library without being granted native access prints a
 * restricted-method warning on its stderr, and with {@code --illegal-native-access=deny} (a later
 * JDK's default) refuses the load. Our children always load ours, so they are granted it on their
 * command line. Checked by a child under "deny" on the newest JDK 24+ on this machine; skipped
 * where there is none.
 */
class NativeAccessTest {
    @Test
    void aChildOnAJdkThatDeniesNativeAccessByDefaultStillLoadsOurLibrary() throws Exception {
        Optional<Path> newerJava = NewerJdk.newestJavaFrom(24);
        assumeTrue(newerJava.isPresent(), "no JDK 24 or newer under " + NewerJdk.JVM_DIRECTORY);
        ProcessContext context = ProcessContext.defaultContext().toBuilder()
                .javaExecutable(newerJava.get().toString())
                .jvmOptions("--illegal-native-access=deny")
                .build();
        // The target uses the library in the child (the pid comes from our native layer).
        ChildProcess child = context.newProcess(() -> System.exit(
                Multiprocessing.currentProcess().pid() == ProcessHandle.current().pid() ? 0 : 3));
        child.setDaemon(true);
        try {
            child.start();
            assertTrue(child.join(Duration.ofSeconds(30)), "the child did not end");
            assertEquals(0, child.exitCode().getAsInt(), "the child on " + newerJava.get() + " failed");
        } finally {
            if (child.isAlive()) {
                child.kill();
                child.join(Duration.ofSeconds(5));
            }
        }
    }
}
