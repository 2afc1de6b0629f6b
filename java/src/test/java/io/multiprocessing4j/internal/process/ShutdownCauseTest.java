package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.SeparateJvm;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ShutdownCause} reads the name the JVM gives the thread that runs a signal's shutdown: this
 * pins it on the JDK the tests run on, for a signal and for a normal exit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownCauseTest {

    /** Reports ShutdownCause.isSignal() from a shutdown hook; exits by itself if given an argument. */
    public static final class Reporter {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> SeparateJvm.report("SIGNAL", ShutdownCause.isSignal())));
            SeparateJvm.ready();
            if (args.length > 0) {
                System.exit(Integer.parseInt(args[0]));
            }
            Thread.sleep(60_000);
        }
    }

    @Test
    void aSigtermIsASignal() throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(Reporter.class)) {
            assertTrue(jvm.awaitReady(), jvm.stderr());
            assertEquals(0, Posix.kill(jvm.pid(), Posix.SIGTERM));
            assertEquals(128 + Posix.SIGTERM, jvm.awaitExit(Duration.ofSeconds(20).toSeconds()));
            assertEquals("true", jvm.fact("SIGNAL"), jvm.stdout());
        }
    }

    @Test
    void systemExitIsNotASignal() throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(Reporter.class, "3")) {
            assertEquals(3, jvm.awaitExit(20));
            assertEquals("false", jvm.fact("SIGNAL"), jvm.stdout());
        }
    }
}
