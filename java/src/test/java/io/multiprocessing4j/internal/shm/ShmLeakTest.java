package io.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.process.ResourceTrackerMain;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Nothing of ours stays in /dev/shm after the processes that used it are gone, even when the parent
 * is killed with SIGKILL: the resource tracker, a process of its own, cleans up after the tree.
 */
@InFaultSuite
@ProcessSemantics
class ShmLeakTest {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(20);

    @Test
    void aParentKilledWithSigkillLeavesNothingBehind() throws Exception {
        try (SeparateJvm parent = SeparateJvm.start(KilledParentMain.class)) {
            assertTrue(parent.awaitReady(), "the parent set everything up");
            Path inCreation = Path.of("/dev/shm", parent.fact("IN_CREATION"));
            Path block = Path.of("/dev/shm", parent.fact("BLOCK"));
            Path list = Path.of("/dev/shm", parent.fact("LIST"));
            long child = Long.parseLong(parent.fact("CHILD"));
            long tracker = Long.parseLong(parent.fact("TRACKER"));
            assertTrue(Files.exists(inCreation), "the segment caught in creation exists before the kill");
            assertTrue(Files.exists(block) && Files.exists(list), "the named blocks exist before the kill");
            assertTrue(tracker > 0, "the parent started a tracker");
            assertTrue(isAlive(child) && isAlive(tracker));

            parent.kill();

            assertTrue(Eventually.within(GONE_WITHIN, () -> !Files.exists(inCreation)), inCreation + " was unlinked by the tracker");
            assertTrue(Eventually.within(GONE_WITHIN, () -> !Files.exists(block)), block + " was unlinked by the tracker");
            assertTrue(Eventually.within(GONE_WITHIN, () -> !Files.exists(list)), list + " was unlinked by the tracker");
            assertTrue(Eventually.within(GONE_WITHIN, () -> !isAlive(child)), "the daemon child died with its parent");
            assertTrue(Eventually.within(GONE_WITHIN, () -> !isAlive(tracker)), "the tracker finished once everyone was gone");
            // The tracker's stderr is the parent's: its warning (System.Logger, java.util.logging's
            // default console output) names the named blocks nobody unlinked.
            String stderr = parent.stderr();
            assertTrue(stderr.contains("WARNING: ") && stderr.contains(" shared memory segment(s) left behind") && stderr.contains(block.getFileName()
                    .toString()) && stderr.contains(ResourceTrackerMain.class.getName()), "the tracker warned:\n" + stderr);
        }
    }

    @Test
    void aReplacementTrackerCleansWhatTheDeadOneKnew() throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(TrackerReplacedMain.class)) {
            assertTrue(jvm.awaitReady(), "the JVM replaced its tracker: " + jvm.stderr());
            Path kept = Path.of("/dev/shm", jvm.fact("SEGMENT"));
            long second = Long.parseLong(jvm.fact("SECOND_TRACKER"));
            assertTrue(second > 0 && second != Long.parseLong(jvm.fact("FIRST_TRACKER")));
            assertEquals(0, jvm.awaitExit(60), jvm.stderr());

            assertTrue(Eventually.within(GONE_WITHIN, () -> !isAlive(second)), "the second tracker finished");
            assertFalse(Files.exists(kept), kept + ", registered with the first tracker only, was unlinked by the second");
        }
    }

    @Test
    void anonymousSegmentsNeverAppearInDevShm() throws Exception {
        String before = listing();
        io.multiprocessing4j.synchronize.Lock lock = new io.multiprocessing4j.synchronize.Lock();
        assertNotNull(lock);
        Segment segment = Segment.createAnonymous(4096, "test");
        assertFalse(segment.isClosed());
        // Our own names are random; none of this JVM's segments may be visible by name.
        for (String name : listing().split("\n")) {
            assertFalse(name.startsWith(SegmentNames.PREFIX) && !before.contains(name), "visible: " + name);
        }
        segment.close();
    }

    private static String listing() throws Exception {
        try (var names = Files.list(Path.of("/dev/shm"))) {
            return String.join("\n", names.map(path -> path.getFileName().toString()).toList());
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
