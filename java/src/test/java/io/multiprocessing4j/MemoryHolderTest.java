package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.synchronize.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every child of ours has a memory holder: a process of this JVM's sharing the child's memory, with
 * no fd but a pidfd, that ends and is reaped right after the child, however it ends. (What it is
 * for, a child's exit that frees no memory on its parent's clock, is measured in bench/.) A context
 * whose children are given {@code -Dmultiprocessing4j.memoryHolder=false} has none.
 */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class MemoryHolderTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void aRunningChildHasAHolderSharingItsMemoryAndHoldingNoFdOfIts() throws Exception {
        try (Event go = new Event(); Children children = new Children()) {
            ChildProcess child = children.start(() -> go.await(BOUND));
            int holder = holderOf(child);
            int childPid = (int) child.pid().getAsLong();
            assertEquals(self(), ProcessTable.parentPid(holder), "the holder is our child, not the child's");
            assertTrue(sameMemory(childPid, holder), "the holder maps what the child maps");
            assertEquals(List.of("anon_inode:[pidfd]"), fdTargets(holder), "the holder's only fd");
            go.set();
            Children.assertExitsCleanly(child, BOUND);
            assertTrue(awaitReaped(holder), "the holder (pid " + holder + ") was reaped after the child ended");
        }
    }

    @Test
    void aKilledChildsHolderIsReapedToo() throws Exception {
        try (Event never = new Event(); Children children = new Children()) {
            ChildProcess child = children.start(() -> never.await(BOUND));
            int holder = holderOf(child);
            child.kill();
            assertEquals(-9, Children.join(child, BOUND));
            assertTrue(awaitReaped(holder), "the holder (pid " + holder + ") was reaped after the child was killed");
        }
    }

    @Test
    void childrenToldNotToHaveNone() throws Exception {
        ProcessContext without = ProcessContext.defaultContext().toBuilder()
                .jvmOptions("-Dmultiprocessing4j.memoryHolder=false").build();
        try (Event go = new Event()) {
            ChildProcess child = without.newProcess(() -> go.await(BOUND));
            child.setDaemon(true);
            child.start();
            try {
                assertEquals(List.of(), holdersOf((int) child.pid().getAsLong()));
            } finally {
                go.set();
                Children.assertExitsCleanly(child, BOUND);
                child.close();
            }
        }
    }

    /** The child's holder: our child, named as holders are, whose pidfd is the child's. */
    private static int holderOf(ChildProcess child) throws IOException {
        List<Integer> holders = holdersOf((int) child.pid().getAsLong());
        assertEquals(1, holders.size(), "holders of " + child + ": " + holders);
        return holders.get(0);
    }

    private static List<Integer> holdersOf(int childPid) throws IOException {
        List<Integer> holders = new ArrayList<>();
        for (long pid : ProcessTable.childrenOf(self())) {
            try {
                if (ProcessTable.isMemoryHolder(pid) && ProcessTable.pidsWatchedBy(pid).contains((long) childPid)) {
                    holders.add((int) pid);
                }
            } catch (IOException ended) {
                // gone meanwhile
            }
        }
        return holders;
    }

    /**
     * Whether {@code a} and {@code b} map the same memory: their maps read equal, between two reads
     * of {@code a}'s that agree (a running JVM maps and unmaps now and then).
     */
    private static boolean sameMemory(int a, int b) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            String before = Files.readString(Path.of("/proc/" + a + "/maps"));
            String other = Files.readString(Path.of("/proc/" + b + "/maps"));
            String after = Files.readString(Path.of("/proc/" + a + "/maps"));
            if (before.equals(after)) {
                return before.equals(other);
            }
        }
        return false;
    }

    private static List<String> fdTargets(int pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                targets.add(Files.readSymbolicLink(fd).toString());
            }
        }
        return targets;
    }

    /** Waits until {@code pid} is no process at all: ended and its status collected (by us). */
    private static boolean awaitReaped(int pid) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (ProcessTable.state(pid) != 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        assertFalse(Files.exists(Path.of("/proc/" + pid)));
        return true;
    }

    private static int self() {
        return (int) ProcessHandle.current().pid();
    }
}
