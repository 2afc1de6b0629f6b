package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.MemoryHolder;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.ProcessCalls;

/**
 * Every child of ours starts a memory holder as its first act: a process sharing the child's
 * memory that ends right after the child (see native/memory_holder.c). The child's exit then
 * frees no memory, which for a JVM takes the kernel 3-5 ms, and its parent hears of the exit at
 * once: a short child's start→join is that much shorter, and so is every join after a kill.
 * The holder frees the memory on its own clock.
 *
 * <p>The holder is a child of the parent JVM, so no orphan is ever left to whatever reaps orphans
 * (a container's PID 1 may reap none). The child names it in a frame of its boot answer
 * ({@link ChildFdLayout#MEMORY_HOLDER}); the parent watches it as any child of ours and reaps
 * it when it ends. In {@code ps} it shows as a second process with the child's command line
 * (its name, {@code ps -o comm}, is {@code mp4j-holder}) and the same resident memory, which is
 * the child's own, counted once by the kernel and by cgroups.
 *
 * <p>The system property {@value #PROPERTY}{@code =false}, given to the children (a context's
 * JVM options), turns it off.
 */
final class MemoryHolders {
    /** System property of a child: {@code false} starts no memory holder. */
    static final String PROPERTY = "multiprocessing4j.memoryHolder";

    private MemoryHolders() {
    }

    /**
     * In a child, on its main thread (which lives as long as the process): starts the holder and
     * returns the frame naming it for the parent, or null (turned off, or a kernel without pidfds).
     */
    static byte[] startInChild() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
            return null;
        }
        int pid = MemoryHolder.start();
        if (pid <= 0) {
            return null; // its exit frees its memory itself, as any process's
        }
        return new byte[] {ChildFdLayout.MEMORY_HOLDER, (byte) (pid >>> 24), (byte) (pid >>> 16), (byte) (pid >>> 8),
            (byte) pid};
    }

    /** In the parent: the holder {@code pid} of a child of ours is ours to reap when it ends. */
    static void adopt(int pid, int childPid) {
        if (pid <= 0 || OrphanReaper.isOurs(pid)) {
            return; // not a new process: a status of ours is never collected twice
        }
        int pidfd;
        try {
            pidfd = ProcessCalls.pidfdOpen(pid);
        } catch (SystemCallException e) {
            // Without a pidfd it cannot be watched: it stays a zombie until this JVM ends (or
            // the orphan reaper takes it, where one runs). The logger is looked up here, not kept
            // in a field: every child loads this class, and a logger would set up
            // java.util.logging, whose shutdown hook its exit would then have to run.
            System.getLogger(MemoryHolders.class.getName()).log(System.Logger.Level.WARNING,
                    () -> "cannot watch the memory holder (pid " + pid + ") of child " + childPid + ": "
                            + e.getMessage());
            return;
        }
        if (pidfd == ProcessCalls.GONE) {
            return; // not a process of ours (a child that lied): nothing to reap
        }
        ChildHandle holder = new ChildHandle(pid, new OwnedFd(pidfd));
        holder.watch();
        holder.close(); // the pidfd goes once the watcher has collected the holder's status
    }
}
