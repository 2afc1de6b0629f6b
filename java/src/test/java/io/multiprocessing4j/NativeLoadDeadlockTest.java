package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.NativeLibrary;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first use of the native library from two threads at once: one loading it (as a warm spare's
 * background boot does), the other initializing a binding class (any first native call). Loading
 * used to look the binding classes up with JNI's FindClass, which initializes them, while their
 * initializers wait for the load: both threads waited for ever, every time.
 */
class NativeLoadDeadlockTest {

    /** Races a load in one thread against a binding class's first use in another, after a delay. */
    public static final class RaceMain {
        public static void main(String[] args) throws Exception {
            long delayNanos = Long.parseLong(args[0]) * 1000;
            Thread loader = new Thread(NativeLibrary::path, "loader");
            loader.start();
            long until = System.nanoTime() + delayNanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            FileDescriptors.isOpen(0);
            loader.join();
            System.out.println("both done");
        }
    }

    @Test
    void aLoadRacingAFirstNativeCallFinishes(@TempDir Path directory) throws Exception {
        for (String delayMicros : new String[] {"0", "300", "2000"}) {
            Path run = Files.createDirectory(directory.resolve("delay-" + delayMicros));
            try (SeparateJvm jvm = SeparateJvm.start(run, RaceMain.class, delayMicros)) {
                assertEquals(0, jvm.awaitExit(30), jvm.stderr());
                assertEquals("both done", jvm.stdout().trim());
            }
        }
    }
}
