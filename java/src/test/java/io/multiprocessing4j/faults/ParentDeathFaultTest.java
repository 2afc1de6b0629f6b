package io.multiprocessing4j.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.Manager;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.SharedLong;
import io.multiprocessing4j.sharedmemory.SharedMemory;
import io.multiprocessing4j.internal.shm.SegmentNames;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A parent JVM holding one of everything — a daemon child, a pool with a task running, a manager
 * with a list, a queue with messages nobody took, a lock, a shared value, a named shared memory
 * block — is stopped from outside. Whether by SIGKILL (no code of ours runs) or by SIGTERM (the
 * container's stop), nothing of it remains: no process that descends from it, no shared memory
 * segment; and SIGTERM ends it in bounded time, whatever its queue still holds.
 */
@InFaultSuite
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ParentDeathFaultTest {
    /** How long after the parent's death its processes and segments may take to go. */
    private static final Duration CLEANUP_BOUND = Duration.ofSeconds(5);
    /** How long a SIGTERMed parent may take to exit. */
    private static final Duration SIGTERM_EXIT_BOUND = Duration.ofSeconds(10);

    /** Builds one of everything, reports the shared memory name, then waits to be stopped. */
    public static final class ParentWithEverything {
        public static void main(String[] args) throws Exception {
            int undelivered = Integer.parseInt(args[0]);
            ChildProcess daemon = new ChildProcess(() -> Thread.sleep(120_000), "daemon", true);
            daemon.start();
            Pool pool = new Pool(2);
            AsyncResult<Integer> running = pool.applyAsync(() -> {
                Thread.sleep(120_000);
                return 0;
            });
            Manager manager = Manager.start();
            ListProxy<String> list = manager.list();
            list.add("held by the manager");
            Queue<byte[]> queue = new Queue<>();
            for (int i = 0; i < undelivered; i++) {
                queue.add(new byte[64]);
            }
            Lock lock = new Lock();
            lock.lock();
            SharedLong value = SharedLong.create(42);
            SharedMemory block = SharedMemory.create(1 << 20);
            SeparateJvm.report("BLOCK", block.name());
            SeparateJvm.report("TASK_SUBMITTED", running.ready());
            SeparateJvm.report("VALUE", value.get());
            SeparateJvm.ready();
            Thread.sleep(120_000);
        }
    }

    @Test
    void afterSigkillNothingOfTheParentRemains() throws Exception {
        stopAndCheck(Posix.SIGKILL, FaultSuite.scale(1_000, 100_000));
    }

    @Test
    void afterSigtermTheParentExitsInBoundedTimeAndNothingOfItRemains() throws Exception {
        stopAndCheck(Posix.SIGTERM, FaultSuite.scale(20_000, 100_000));
    }

    private static void stopAndCheck(int signal, int undelivered) throws Exception {
        List<String> segmentsBefore = ourSegments();
        try (SeparateJvm parent = SeparateJvm.start(ParentWithEverything.class, String.valueOf(undelivered))) {
            assertTrue(parent.awaitReady(), parent.stderr());
            String block = parent.fact("BLOCK");
            assertTrue(Files.exists(Path.of("/dev/shm", block)), "the named block exists while the parent lives");
            List<ProcessHandle> descendants = ProcessHandle.of(parent.pid()).orElseThrow().descendants()
                    .collect(Collectors.toList());
            assertTrue(descendants.size() >= 4, "daemon child, 2 workers, manager (and tracker): " + describe(descendants));

            long began = System.nanoTime();
            assertEquals(0, Posix.kill(parent.pid(), signal));
            int status = parent.awaitExit(signal == Posix.SIGTERM ? SIGTERM_EXIT_BOUND.toSeconds() : 30);
            assertEquals(128 + signal, status, parent.stderr());
            long exitMillis = (System.nanoTime() - began) / 1_000_000;

            List<ProcessHandle> left = new ArrayList<>();
            for (ProcessHandle process : descendants) {
                if (!ProcessTable.awaitGone(process.pid(), CLEANUP_BOUND)) {
                    left.add(process);
                }
            }
            left.forEach(ProcessHandle::destroyForcibly);
            assertTrue(left.isEmpty(), "still running " + CLEANUP_BOUND.toSeconds() + " s after the parent's death: "
                    + describe(left));
            List<String> leaked = awaitSegmentsGone(segmentsBefore, CLEANUP_BOUND);
            assertTrue(leaked.isEmpty(), "left in /dev/shm: " + leaked);
            if (signal == Posix.SIGTERM) {
                assertTrue(exitMillis < SIGTERM_EXIT_BOUND.toMillis(), "SIGTERM exit took " + exitMillis + " ms");
            }
        }
    }

    private static List<String> awaitSegmentsGone(List<String> before, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            List<String> now = ourSegments();
            now.removeAll(before);
            if (now.isEmpty() || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(50);
        }
    }

    private static List<String> ourSegments() throws Exception {
        try (var names = Files.list(Path.of("/dev/shm"))) {
            return names.map(path -> path.getFileName().toString()).filter(name -> name.startsWith(SegmentNames.PREFIX))
                    .collect(Collectors.toList());
        }
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream()
                .map(p -> p.pid() + " " + p.info().commandLine().map(c -> c.length() > 160 ? c.substring(0, 160) : c).orElse("?"))
                .collect(Collectors.joining("\n  ", "[\n  ", "\n]"));
    }
}
