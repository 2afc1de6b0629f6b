package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.util.concurrent.TimeUnit;

/**
 * For {@link ShmLeakTest}: makes a transient segment and keeps it (as a queue keeps an overflow chunk
 * that still holds messages), kills its own resource tracker with SIGKILL, lets the next registration
 * start another tracker, reports the segment's name and the new tracker's pid, and returns from main
 * without unlinking the segment.
 */
public final class TrackerReplacedMain {
    private TrackerReplacedMain() {
    }

    public static void main(String[] args) throws Exception {
        String name = SegmentNames.random();
        Segment kept = Segment.createTransient(name, 4096, "test's overflow chunk");
        ProcessHandle first = ProcessHandle.of(ResourceTracker.trackerPid()).orElseThrow();
        first.destroyForcibly();
        first.onExit().get(30, TimeUnit.SECONDS);
        new Lock().close(); // finds the channel broken: another tracker takes over
        SeparateJvm.report("SEGMENT", name);
        SeparateJvm.report("FIRST_TRACKER", first.pid());
        SeparateJvm.report("SECOND_TRACKER", ResourceTracker.trackerPid());
        SeparateJvm.ready();
        kept.release();
    }
}
