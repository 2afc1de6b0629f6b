package io.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.sharedctypes.SharedByteArray;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@ProcessSemantics
class ResourceTrackerTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void childrenAndGrandchildrenShareTheParentsTracker() throws Exception {
        new Lock().close(); // makes sure this JVM has its tracker
        String ours = ResourceTracker.channelIdentity();
        assertNotNull(ours);
        SharedByteArray seen = SharedByteArray.createRaw(256);
        ChildProcess child = new ChildProcess(() -> reportAndSpawn(seen));
        child.start();
        assertTrue(child.join(CHILD_TIMEOUT));
        assertEquals(0, child.exitCode().getAsInt());
        assertEquals(ours + " " + ours, seen.value(), "child and grandchild write to our tracker's channel");
    }

    static void reportAndSpawn(SharedByteArray seen) throws Exception {
        String mine = ResourceTracker.channelIdentity();
        assertEquals(-1, ResourceTracker.trackerPid(), "the child started no tracker of its own");
        ChildProcess grandchild = new ChildProcess(() -> seen.setValue(mine + " " + ResourceTracker.channelIdentity()));
        grandchild.start();
        grandchild.join();
        assertEquals(0, grandchild.exitCode().getAsInt());
    }

    /**
     * A child whose tracker (shared with its parent) was killed starts none of its own: one would
     * unlink, at the child's end, the handoff segment of a message it put in its parent's queue,
     * which the parent has not read yet (the message was lost so). Its registrations then go
     * nowhere, with a warning.
     */
    @Test
    void aChildWhoseSharedTrackerDiedStartsNoneThatCouldUnlinkWhatOthersStillUse(@TempDir Path directory)
            throws Exception {
        childStartsNoTrackerOfItsOwn(directory, "killed");
    }

    /**
     * A queue a child made and sent its parent over a pipe keeps its messages after the child's
     * end: the parent starts its tracker with its first child, as CPython does, and the child shares
     * it; a tracker of the child's own unlinked at its end the segment of a large message in that
     * queue (the message was lost so).
     */
    @Test
    void aQueueAChildMadeAndSentItsParentKeepsItsMessagesAfterTheChildsEnd() throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(QueueFromAChildMain.class)) {
            assertTrue(jvm.awaitReady(), jvm.stdout() + jvm.stderr());
            String output = "\nstdout:\n" + jvm.stdout() + "\nstderr:\n" + jvm.stderr();
            assertEquals("0", jvm.fact("OTHER_TRACKERS"), output);
            assertEquals(Integer.toString(1 << 20), jvm.fact("GOT"), output);
            assertEquals(0, jvm.awaitExit(60), output);
        }
    }

    /** The same for a child of a JVM that gave up its tracker (it died as often as it was restarted). */
    @Test
    void aChildOfAParentWithoutATrackerStartsNoneEither(@TempDir Path directory) throws Exception {
        childStartsNoTrackerOfItsOwn(directory, "gave-up");
    }

    private static void childStartsNoTrackerOfItsOwn(Path directory, String how) throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(SharedTrackerKilledMain.class, directory.resolve("go").toString(),
                how)) {
            assertTrue(jvm.awaitReady(), jvm.stdout() + jvm.stderr());
            String output = "\nstdout:\n" + jvm.stdout() + "\nstderr:\n" + jvm.stderr();
            assertEquals("0", jvm.fact("CHILD_EXIT"), output);
            assertEquals("0", jvm.fact("CHILD_TRACKERS"), output);
            assertEquals(Integer.toString(1 << 20), jvm.fact("GOT"), output);
            assertTrue(jvm.stderr().contains("the resource tracker this process shared with its parent has ended"), output);
            assertEquals(0, jvm.awaitExit(60), output);
        }
    }

    /**
     * Done in a JVM of its own ({@link TrackerKilledMain}): the tracker of this JVM is shared by every
     * test in it, and a replacement hears only of the segments of processes still alive, so killing
     * it would leak into /dev/shm whatever it knew from processes that have died since.
     */
    @Test
    void aTrackerThatDiedIsReplaced() throws Exception {
        List<ProcessHandle> trackers = new ArrayList<>();
        try (SeparateJvm jvm = SeparateJvm.start(TrackerKilledMain.class)) {
            try {
                boolean ready = jvm.awaitReady();
                long first = pidFact(jvm, "FIRST_TRACKER");
                long second = pidFact(jvm, "SECOND_TRACKER");
                // To clean up after, whatever happens (the first only if it outlived its SIGKILL: a pid
                // that is gone may have been given to someone else since).
                if (first > 0 && !"true".equals(jvm.fact("FIRST_DIED"))) {
                    ProcessHandle.of(first).ifPresent(trackers::add);
                }
                if (second > 0) {
                    ProcessHandle.of(second).ifPresent(trackers::add);
                }
                String output = "\nstdout:\n" + jvm.stdout() + "\nstderr:\n" + jvm.stderr();
                assertTrue(ready, "the JVM got through" + output);
                assertTrue(first > 0, "that JVM started the tracker" + output);
                assertEquals("true", jvm.fact("FIRST_DIED"), "the tracker died" + output);
                assertTrue(second > 0, "the next registration started another tracker" + output);
                assertNotEquals(first, second);
                assertTrue(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
            } finally {
                jvm.kill(); // the trackers read end-of-file and finish; any that does not is killed
                for (ProcessHandle tracker : trackers) {
                    try {
                        tracker.onExit().get(20, TimeUnit.SECONDS);
                    } catch (TimeoutException stillThere) {
                        tracker.destroyForcibly();
                        tracker.onExit().get(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    /** A pid {@code jvm} reported, or -1 if it did not report one. */
    private static long pidFact(SeparateJvm jvm, String key) {
        String value = jvm.fact(key);
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
