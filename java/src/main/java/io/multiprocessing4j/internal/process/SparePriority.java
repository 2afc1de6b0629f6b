package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.ThreadPriorities;
import io.multiprocessing4j.internal.threads.LibraryThreads;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Warm spares boot in the background at a lower priority than their parent, so that a replacement
 * booting on a busy machine does not slow the starts that are on the caller's clock; once booted
 * (before it says so) a spare takes its parent's priority back, so that the target it later runs
 * is scheduled as a spawned child would be.
 *
 * <p>Linux keeps a nice value per thread, and a process spawned from a thread starts with that
 * thread's: a spare's process sets its nicer value itself before its JVM starts (see Spawner), and
 * a booted spare raises every one of its threads back. No thread of the parent is lowered: a
 * thread it started would inherit the lower value for good (the spawner itself and the JDK's
 * cleaner once did, and every child after them ran nicer than its parent).
 * Raising a priority takes CAP_SYS_NICE or a high enough RLIMIT_NICE: a process without either
 * boots its spares at its own priority (checked once, on a thread of its own).
 */
public final class SparePriority {
    /** How much nicer than its parent a spare boots. */
    static final int BOOT_NICE_INCREMENT = 10;
    private static volatile Boolean restorable;

    private SparePriority() {
    }

    /**
     * How much nicer than the caller a spare is spawned (by the spawner thread, which takes that
     * nice value for the spawn): {@link #BOOT_NICE_INCREMENT} if a booted spare can take its
     * parent's priority back, else 0.
     */
    static int bootNiceIncrement() {
        return restorable() ? BOOT_NICE_INCREMENT : 0;
    }

    /** {@link #restorable()}, for tests in other packages. */
    public static boolean restorableForTests() {
        return restorable();
    }

    /** Whether this process may raise a thread's priority back after lowering it (tried on a thread of its own). */
    static boolean restorable() {
        Boolean known = restorable;
        if (known == null) {
            boolean[] result = new boolean[1];
            Thread probe = LibraryThreads.daemon("mp4j-priority-probe", () -> {
                try {
                    int own = ThreadPriorities.niceOf(0);
                    result[0] = own < 19 && ThreadPriorities.setNice(0, own + 1) && ThreadPriorities.setNice(0, own);
                } catch (SystemCallException e) {
                    result[0] = false;
                }
            });
            probe.start();
            try {
                probe.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            known = result[0];
            restorable = known;
            if (!known) {
                // Looked up here, not in a static field: a spare loads this class, and a logger
                // would set up java.util.logging (and its shutdown hook) in every warm child.
                System.getLogger(WarmSpares.class.getName()).log(System.Logger.Level.DEBUG, "warm spares boot at this process's priority: it may not raise"
                        + " a priority back (no CAP_SYS_NICE, RLIMIT_NICE too low)");
            }
        }
        return known;
    }

    /**
     * In a booted spare: gives every thread of this process its parent's nice value, if it is
     * nicer. Threads started meanwhile inherit from one already raised or are caught by the
     * second pass. Best effort: a spare that cannot keeps running at its boot priority.
     */
    public static void takeParentsPriority() {
        try {
            int parents = ThreadPriorities.niceOf(ProcessCalls.getppid());
            for (int pass = 0; pass < 2; pass++) {
                try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                    for (Path task : tasks) {
                        raise(Integer.parseInt(task.getFileName().toString()), parents);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a thread that ended meanwhile, or no /proc: the target runs at the spare's priority
        }
    }

    private static void raise(int tid, int nice) {
        try {
            if (ThreadPriorities.niceOf(tid) > nice) {
                ThreadPriorities.setNice(tid, nice);
            }
        } catch (SystemCallException ended) {
            // the thread ended meanwhile
        }
    }
}
