package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.support.NewerJdk;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Virtual threads waiting in manager proxy calls leave their carriers free, and an interrupt
 * releases one: with two carriers, four virtual threads block in each waiting call and one more
 * releases them. Runs {@link ManagerVirtualThreadsMain} on the oldest JDK 21+ on the machine;
 * skipped where there is none.
 */
class ManagerVirtualThreadsTest {
    private static final int CARRIERS = 2;

    @Test
    @Timeout(300)
    void moreBlockedVirtualThreadsThanCarriersAreReleasedByAnother() throws Exception {
        Optional<Path> java = NewerJdk.oldestJavaFrom(21);
        assumeTrue(java.isPresent(), "no JDK 21 or newer under " + NewerJdk.JVM_DIRECTORY + ": no virtual threads");
        List<String> options = List.of(
                "-Djdk.virtualThreadScheduler.parallelism=" + CARRIERS,
                "-Djdk.virtualThreadScheduler.maxPoolSize=" + CARRIERS);
        try (SeparateJvm jvm = SeparateJvm.startOn(java.get(), options, ManagerVirtualThreadsMain.class,
                String.valueOf(CARRIERS + 2))) {
            int status = jvm.awaitExit(240);
            System.out.println(jvm.stdout());
            assertEquals(0, status, "on " + java.get() + ":\n" + jvm.stdout() + "\nstderr:\n" + jvm.stderr());
        }
    }
}
