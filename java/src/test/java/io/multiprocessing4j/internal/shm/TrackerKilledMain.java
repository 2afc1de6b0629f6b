package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIXFactory;

/**
 * For {@link ResourceTrackerTest}: kills its own resource tracker with SIGKILL and lets the next
 * registration start another, in a JVM of its own, so that the tracker of the test JVM (shared by
 * every test there, and the only one that knows the segments of the test JVM's dead children) is
 * never touched. It reports {@code FIRST_TRACKER} (the tracker its first registration started, -1
 * if none), {@code FIRST_DIED} (whether that one was gone within 30 s of the SIGKILL) and
 * {@code SECOND_TRACKER} (the tracker the next registration started), as far as it gets, then
 * READY; then it holds the channel (so the second tracker stays up for the test to see) until
 * the test kills it, its parent is gone, or two minutes have passed.
 */
public final class TrackerKilledMain {
    private static final long DEATH_BOUND_SECONDS = 30;
    private static final long HOLD_BOUND_SECONDS = 120;

    private TrackerKilledMain() {
    }

    public static void main(String[] args) throws Exception {
        new Lock().close();
        long first = ResourceTracker.trackerPid();
        SeparateJvm.report("FIRST_TRACKER", first);
        if (first > 0) {
            POSIXFactory.getPOSIX().kill((int) first, 9);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEATH_BOUND_SECONDS);
            boolean died;
            while (!(died = !isAlive(first)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            SeparateJvm.report("FIRST_DIED", died);
            if (died) {
                new Lock().close(); // its registration finds the channel broken and starts another tracker
                SeparateJvm.report("SECOND_TRACKER", ResourceTracker.trackerPid());
            }
        }
        SeparateJvm.ready();
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        long holdUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLD_BOUND_SECONDS);
        while (parent != null && parent.isAlive() && System.nanoTime() < holdUntil) {
            Thread.sleep(50);
        }
        System.exit(0);
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
