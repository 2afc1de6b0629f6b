package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.process.WarmSpares;
import io.multiprocessing4j.support.ReapChildren;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm child ends at once when nothing is left to run at exit, and through the JVM's exit when
 * something is: shutdown hooks and delete-on-exit files of its target still have their effect.
 */
@ExtendWith(ReapChildren.class)
class WarmChildExitTest {
    private static final ProcessContext WARM = Multiprocessing.getContext("warm").toBuilder()
            .jvmOptions("-Dmp4j.test.context=exit").build();

    private static ChildProcess runOnSpare(ProcessTarget target) throws InterruptedException {
        WarmSpares spares = WarmSpares.of(WARM.warmUp().settings());
        assertTrue(spares.awaitSettled(Duration.ofSeconds(60)));
        long handOffs = spares.handOffCount();
        ChildProcess child = WARM.newProcess(target);
        child.start();
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertEquals(handOffs + 1, spares.handOffCount(), "the child ran on a spare");
        return child;
    }

    @Test
    void aChildWithNothingLeftToRunLeavesNoPerfDataFile() throws Exception {
        ChildProcess child = runOnSpare(WarmChildExitTest::nothing);
        assertEquals(OptionalInt.of(0), child.exitCode());
        Path perfData = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"),
                Long.toString(child.pid().orElseThrow()));
        assertFalse(Files.exists(perfData), perfData + " was left behind");
    }

    @Test
    void aShutdownHookOfTheTargetRuns(@TempDir Path directory) throws Exception {
        String mark = directory.resolve("hook-ran").toString();
        ChildProcess child = runOnSpare(() -> Runtime.getRuntime().addShutdownHook(new Thread(() -> touch(mark))));
        assertEquals(OptionalInt.of(0), child.exitCode());
        assertTrue(Files.exists(Path.of(mark)), "the target's shutdown hook ran");
    }

    @Test
    void aFileToDeleteOnExitIsDeleted(@TempDir Path directory) throws Exception {
        String doomed = directory.resolve("doomed").toString();
        touch(doomed);
        ChildProcess child = runOnSpare(() -> new File(doomed).deleteOnExit());
        assertEquals(OptionalInt.of(0), child.exitCode());
        assertFalse(Files.exists(Path.of(doomed)), "deleteOnExit took effect");
    }

    @Test
    void anExceptionStillExitsWithOne() throws Exception {
        ChildProcess child = runOnSpare(() -> {
            throw new IllegalStateException("expected by the test");
        });
        assertEquals(OptionalInt.of(1), child.exitCode());
    }

    private static void nothing() {
    }

    private static void touch(String path) {
        try {
            Files.write(Path.of(path), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
