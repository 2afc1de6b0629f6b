package io.multiprocessing4j.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.Spares;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 2,000 start/join/close cycles, two children in flight at a time: no zombie, no fd and no thread
 * left over. The long variant only: the every-build variant of the same checks is 100 cycles in
 * {@code ZombieTest} and {@code FdLeakTest}.
 */
@InFaultSuite
@ProcessSemantics
@ExtendWith(ReapChildren.class)
@Timeout(value = 1800, unit = TimeUnit.SECONDS)
class ChurnFaultTest {
    private static final int CYCLES = 2_000;
    private static final int IN_FLIGHT = 2;

    @Test
    void twoThousandStartJoinCloseCyclesLeaveNoZombieFdOrThread() throws Exception {
        assumeTrue(FaultSuite.isLong(), "long variant: run with -Dmultiprocessing4j.faults.long=true");
        cycle(20); // loads classes, opens the exit watcher's fds for good
        Spares.settle();
        List<String> fdsBefore = ProcessTable.openFdKinds();
        int threadsBefore = Thread.activeCount();

        cycle(CYCLES);

        Spares.settle();
        long self = ProcessHandle.current().pid();
        assertEquals(List.of(), ProcessTable.lastingZombieChildren(self));
        // An fd closed by the library's own threads a moment after the last join is no leak: give it time.
        Eventually.within(Duration.ofSeconds(5), () -> ProcessTable.fdKindsOpenedSince(fdsBefore).isEmpty());
        assertEquals(List.of(), ProcessTable.fdKindsOpenedSince(fdsBefore), () -> "open now: " + ProcessTable.openFds()
                + "\nunix sockets: " + unixSockets());
        assertTrue(Thread.activeCount() <= threadsBefore + 2,
                "threads: " + threadsBefore + " before, " + Thread.activeCount() + " after");
    }

    private static String unixSockets() {
        try {
            return String.join("\n", Files.readAllLines(Path.of("/proc/net/unix")));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void cycle(int count) throws InterruptedException {
        Deque<ChildProcess> inFlight = new ArrayDeque<>();
        for (int i = 0; i < count; i++) {
            if (inFlight.size() == IN_FLIGHT) {
                finish(inFlight.removeFirst());
            }
            ChildProcess child = new ChildProcess(() -> { });
            child.start();
            inFlight.addLast(child);
        }
        while (!inFlight.isEmpty()) {
            finish(inFlight.removeFirst());
        }
    }

    private static void finish(ChildProcess child) throws InterruptedException {
        child.join();
        assertEquals(0, child.exitCode().orElseThrow());
        child.close();
    }
}
