package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every ended child is reaped, whether or not anybody joins it; other children are left alone. */
@InFaultSuite
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class ZombieTest {

    @Test
    void fiftyStartJoinCyclesLeaveNoZombie() throws Exception {
        long self = ProcessHandle.current().pid();
        for (int i = 0; i < 50; i++) {
            ChildProcess child = new ChildProcess(() -> { });
            child.start();
            child.join();
            assertEquals(0, child.exitCode().orElseThrow());
        }
        assertEquals(List.of(), ProcessTable.lastingZombieChildren(self));
    }

    @Test
    void aChildNobodyJoinsIsStillReaped() throws Exception {
        ChildProcess child = new ChildProcess(() -> System.exit(4));
        child.start();
        long pid = child.pid().orElseThrow();
        // No join, no isAlive: only the exit watcher may collect it.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessTable.state(pid) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, ProcessTable.state(pid), "pid " + pid + " still in the process table");
        assertEquals(4, child.exitCode().orElseThrow());
    }

    @Test
    void childrenOfProcessBuilderAreLeftToTheJdk() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "0.3").start();
        ChildProcess child = new ChildProcess(() -> { });
        child.start();
        child.join();
        assertTrue(sleeper.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, sleeper.exitValue(), "the JDK must still see its own child's exit status");
    }
}
