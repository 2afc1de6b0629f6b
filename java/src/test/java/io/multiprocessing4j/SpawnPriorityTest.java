package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Warm spares boot nicer than their parent, and nothing else does: a JVM whose first spawns were
 * spares' (so that the library's long-lived threads were started on behalf of a boot) still gives
 * a child it spawns later its own priority, and none of its own threads runs nicer than it.
 * Run in a JVM of its own, whose first start is the spares' boot.
 */
class SpawnPriorityTest {
    @Test
    void sparesBootNicerAndEverythingElseKeepsTheParentsPriority() throws Exception {
        try (SeparateJvm jvm = SeparateJvm.start(BootsSparesFirst.class)) {
            int exit = jvm.awaitExit(120);
            assertEquals(0, exit, jvm.stderr());
            int parent = Integer.parseInt(jvm.fact("PARENT_NICE"));
            if (Boolean.parseBoolean(jvm.fact("RESTORABLE"))) {
                assertEquals(Math.min(19, parent + 10), Integer.parseInt(jvm.fact("BOOTING_SPARE_NICE")),
                        "a spare boots nicer than its parent");
            }
            assertEquals(parent, Integer.parseInt(jvm.fact("SPAWNED_CHILD_NICE")),
                    "a child spawned after the spares runs at its parent's priority");
            assertEquals("[" + parent + "]", jvm.fact("PARENT_THREAD_NICES"), "no thread of the parent runs nicer");
        }
    }

    /** Boots spares first, then spawns a child; reports the nice values seen. */
    public static final class BootsSparesFirst {
        public static void main(String[] args) throws Exception {
            ProcessContext warm = Multiprocessing.getContext("warm").toBuilder().warmSpares(1).build().warmUp();
            SeparateJvm.report("PARENT_NICE", ProcessTable.nice("self"));
            SeparateJvm.report("RESTORABLE", io.multiprocessing4j.internal.process.SparePriority.restorableForTests());
            SeparateJvm.report("BOOTING_SPARE_NICE", bootingSpareNice());
            if (!warm.awaitWarmSpares(Duration.ofSeconds(60))) {
                throw new AssertionError("the spare did not boot");
            }
            try (Event go = new Event()) {
                ChildProcess child = Multiprocessing.getContext("spawn").newProcess(() -> go.await(Duration.ofSeconds(60)));
                child.start();
                SeparateJvm.report("SPAWNED_CHILD_NICE", ProcessTable.nice(Long.toString(child.pid().getAsLong())));
                go.set();
                child.join();
            }
            TreeSet<Integer> nices = new TreeSet<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    nices.add(ProcessTable.nice("self/task/" + task.getFileName()));
                }
            }
            SeparateJvm.report("PARENT_THREAD_NICES", nices);
            SeparateJvm.ready();
        }

        /** The nice value of the spare booting now: our one child that is not a memory holder. */
        private static int bootingSpareNice() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (long pid : ProcessTable.childrenOf(ProcessHandle.current().pid())) {
                    try {
                        if (!ProcessTable.isMemoryHolder(pid) && !ProcessTable.isResourceTracker(pid)) {
                            return ProcessTable.nice(Long.toString(pid));
                        }
                    } catch (IOException gone) {
                        // ended meanwhile
                    }
                }
                Thread.sleep(1);
            }
            throw new AssertionError("no spare was seen booting");
        }
    }
}
