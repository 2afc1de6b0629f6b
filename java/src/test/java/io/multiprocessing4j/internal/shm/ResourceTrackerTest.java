package io.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.sharedctypes.SharedByteArray;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.synchronize.Lock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;

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

    @Test
    void aTrackerThatDiedIsReplaced() throws Exception {
        new Lock().close();
        long first = ResourceTracker.trackerPid();
        assertTrue(first > 0, "this JVM started the tracker");
        POSIXFactory.getPOSIX().kill((int) first, 9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "the tracker died");
            Thread.sleep(10);
        }
        new Lock().close(); // its registration finds the channel broken and starts another tracker
        long second = ResourceTracker.trackerPid();
        assertTrue(second > 0);
        assertNotEquals(first, second);
        assertTrue(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
    }
}
