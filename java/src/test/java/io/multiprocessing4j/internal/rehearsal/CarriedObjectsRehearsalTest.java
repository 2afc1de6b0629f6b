package io.multiprocessing4j.internal.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.support.ReapChildren;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A warm spare's rehearsal of a target carrying each library kind goes through, and leaves the
 * spare with their classes loaded and nothing else behind: no thread, no resource tracker, no
 * segment. Run in a fresh child JVM (spawn), where nothing had loaded those classes before.
 */
@ExtendWith(ReapChildren.class)
@Timeout(120)
class CarriedObjectsRehearsalTest {
    /** Classes a target carrying the library's objects needs, which the rehearsal must have loaded. */
    private static final List<String> EXPECTED_LOADED = List.of(
            "io.multiprocessing4j.synchronize.Lock",
            "io.multiprocessing4j.synchronize.RLock",
            "io.multiprocessing4j.synchronize.Semaphore",
            "io.multiprocessing4j.synchronize.Event",
            "io.multiprocessing4j.synchronize.Condition",
            "io.multiprocessing4j.queues.Queue",
            "io.multiprocessing4j.sharedctypes.SharedLong",
            "io.multiprocessing4j.sharedctypes.SharedIntArray",
            "io.multiprocessing4j.connection.Connection",
            "io.multiprocessing4j.internal.shm.Mapping",
            "io.multiprocessing4j.internal.sync.ThisProcess");

    @Test
    void theRehearsalGoesThroughAndLeavesOnlyLoadedClasses() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection report = pipe.second();
            // opened to this test's look into the class loader: the library's children open nothing
            ProcessContext opened = Multiprocessing.getContext("spawn").toBuilder()
                    .jvmOptions("--add-opens=java.base/java.lang=ALL-UNNAMED").build();
            ChildProcess child = opened.newProcess(() -> report.send(rehearseHere()));
            child.start();
            // the child reports, or dies without a word (its stack trace on stderr): never a hang
            assertTrue(pipe.first().poll(Duration.ofSeconds(60)), "the child sent no report");
            Object answer = pipe.first().recv();
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals(0, child.exitCode().orElseThrow());
            // The lambda's capture (a Connection) is loaded before the rehearsal; the rest is not.
            assertEquals("rehearsed; missing classes []; new threads []; tracker -1; loaded before"
                    + " [io.multiprocessing4j.connection.Connection]", answer);
        }
    }

    @Test
    void thePoolWorkersRehearsalRunsItsFirstTaskWithoutStartingAThread() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection report = pipe.second();
            ChildProcess child = Multiprocessing.getContext("spawn").newProcess(() -> {
                Set<String> before = threadNames();
                Class.forName("io.multiprocessing4j.internal.pool.WorkerMain").getMethod("rehearse").invoke(null);
                Set<String> after = threadNames();
                after.removeAll(before);
                report.send("new threads " + after);
            });
            child.start();
            // the child reports, or dies without a word (its stack trace on stderr): never a hang
            assertTrue(pipe.first().poll(Duration.ofSeconds(60)), "the child sent no report");
            Object answer = pipe.first().recv();
            assertTrue(child.join(Duration.ofSeconds(60)));
            assertEquals(0, child.exitCode().orElseThrow(), "the rehearsal threw (its stack trace is on stderr)");
            assertEquals("new threads []", answer);
        }
    }

    /** In the child: whether it went through, what it did not load, which threads appeared, whether a tracker started. */
    private static String rehearseHere() throws Exception {
        Method findLoaded = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
        findLoaded.setAccessible(true); // the child is started with --add-opens java.base/java.lang below
        ClassLoader loader = CarriedObjectsRehearsal.class.getClassLoader();
        List<String> loadedBefore = new ArrayList<>();
        for (String name : EXPECTED_LOADED) {
            if (findLoaded.invoke(loader, name) != null) {
                loadedBefore.add(name);
            }
        }
        Set<String> threadsBefore = threadNames();
        boolean rehearsed = CarriedObjectsRehearsal.run();
        Set<String> newThreads = threadNames();
        newThreads.removeAll(threadsBefore);
        List<String> missing = new ArrayList<>();
        for (String name : EXPECTED_LOADED) {
            if (findLoaded.invoke(loader, name) == null) {
                missing.add(name);
            }
        }
        return (rehearsed ? "rehearsed" : "NOT rehearsed") + "; missing classes " + missing + "; new threads "
                + newThreads + "; tracker " + ResourceTracker.trackerPid() + "; loaded before " + loadedBefore;
    }

    private static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.add(thread.getName());
        }
        return names;
    }
}
