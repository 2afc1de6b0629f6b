package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.process.WarmSpares;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ProcessContext#releaseWarmSpares()}: a context's spares exit, ready or booting, none
 * boots again until the context is used, and using it brings the floor back.
 */
@ExtendWith(ReapChildren.class)
class WarmSparesReleaseTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);

    /** A context of spares of its own: the tag on its command line tells its JVMs from others. */
    private static ProcessContext warm(String tag) {
        return Multiprocessing.getContext("warm").toBuilder().jvmOptions("-Dmp4j.test.release=" + tag)
                .warmSpares(2).maxWarmSpares(4).build();
    }

    @Test
    void readySparesExitAndNoneBootsAgainUntilTheNextStartWhichBringsTheFloorBack() throws Exception {
        ProcessContext context = warm("ready");
        WarmSpares spares = WarmSpares.of(context.settings());
        try {
            assertTrue(context.awaitWarmSpares(SETTLE));
            List<Integer> before = spares.readyPids();
            assertEquals(2, before.size(), "the floor's spares: " + before);

            context.releaseWarmSpares();
            for (int pid : before) {
                assertTrue(ProcessTable.awaitGone(pid, Duration.ofSeconds(10)), "released spare " + pid + " exited");
            }
            Thread.sleep(500); // what a replacement would need to show itself as a process
            assertTrue(spares.awaitSettled(SETTLE));
            assertEquals(0, spares.readyCount());
            assertEquals(0, spares.aimedCount());
            assertEquals(List.of(), jvmsTagged("ready"), "no spare booted after the release");

            long misses = spares.missCount();
            ChildProcess child = context.newProcess(() -> System.exit(3));
            child.start();
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals(OptionalInt.of(3), child.exitCode());
            assertEquals(misses + 1, spares.missCount(), "the start after the release found no spare and spawned");
            child.close();
            assertTrue(spares.awaitSettled(SETTLE));
            assertEquals(2, spares.readyCount(), "the floor is back after the start");
        } finally {
            context.releaseWarmSpares();
        }
    }

    @Test
    void sparesStillBootingWhenReleasedExitAsTheirBootEnds() throws Exception {
        ProcessContext context = warm("booting");
        WarmSpares spares = WarmSpares.of(context.settings());
        try {
            context.warmUp();
            // Released once their JVMs exist, long before they can have booted (a boot takes 100s of ms).
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (jvmsTagged("booting").size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            List<Long> booting = jvmsTagged("booting");
            assertEquals(2, booting.size(), "both spares' JVMs started: " + booting);
            assertEquals(0, spares.readyCount(), "none ready yet");

            context.releaseWarmSpares();
            assertTrue(spares.awaitSettled(SETTLE));
            assertEquals(0, spares.readyCount(), "a boot that ended after the release made no spare ready");
            for (long pid : booting) {
                assertTrue(ProcessTable.awaitGone(pid, Duration.ofSeconds(10)), "spare " + pid + " exited");
            }
            assertEquals(List.of(), jvmsTagged("booting"));

            assertTrue(context.awaitWarmSpares(SETTLE));
            assertEquals(2, spares.readyCount(), "awaitWarmSpares brings the floor back");
        } finally {
            context.releaseWarmSpares();
        }
    }

    /**
     * This JVM's running children whose command line carries {@code -Dmp4j.test.release=<tag>}.
     * Not the memory holders: one forked by a spare has its command line, and is ours for the
     * moment between its spare's exit and its own where this JVM is a subreaper (other tests make it one).
     */
    private static List<Long> jvmsTagged(String tag) throws IOException {
        List<Long> tagged = new ArrayList<>();
        for (long pid : ProcessTable.childrenOf(ProcessHandle.current().pid())) {
            if (ProcessTable.isMemoryHolder(pid)) {
                continue;
            }
            String commandLine;
            try {
                commandLine = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
            } catch (IOException gone) {
                continue;
            }
            if (ProcessTable.isRunning(pid) && commandLine.contains("-Dmp4j.test.release=" + tag + "\0")) {
                tagged.add(pid);
            }
        }
        return tagged;
    }
}
