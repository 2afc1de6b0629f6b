package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.ProcessStartException;
import io.multiprocessing4j.SystemCallException;
import io.multiprocessing4j.internal.nativ.Errors;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.nativ.Spawn;
import io.multiprocessing4j.internal.shm.ResourceTracker;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import java.time.Duration;
import java.util.List;

/**
 * Brings up one child JVM: plans its fd table, spawns it, and walks it through the boot
 * handshake. Returns only once the child has taken its target; otherwise throws, leaving
 * no process, fd or zombie behind.
 */
public final class ChildLauncher {
    private ChildLauncher() {
    }

    /** Everything the child needs to know, with the fds its target carries. */
    public static ChildHandle launch(BootstrapMessage message, FdTransfer transfer) {
        ProcessContext context = message.context;
        int[] transferred = transfer.exportedFds();
        // The child shares our resource tracker, if we have one: its channel follows the transferred fds.
        int trackerChannel = ResourceTracker.channelForChildren();
        int childTrackerFd = trackerChannel < 0 ? -1 : ChildFdLayout.FIRST_TRANSFERRED + transferred.length;
        List<String> argv = JvmCommandLine.build(context, childTrackerFd);
        int[] control = {-1, -1};
        int[] bootErr = {-1, -1};
        ChildHandle child = null;
        boolean ready = false;
        try {
            Errors.check(Sockets.socketpair(control), "socketpair");
            Errors.check(FileDescriptors.pipe(bootErr), "pipe2");
            int[] plan = fdPlan(bootErr[1], control[1], transferred, trackerChannel);
            Spawn.Started started;
            try {
                started = Spawner.spawn(argv.get(0), argv, plan, message.daemon ? ProcessCalls.SIGKILL : 0);
            } finally {
                FileDescriptors.close(control[1]);
                FileDescriptors.close(bootErr[1]);
                control[1] = -1;
                bootErr[1] = -1;
                transfer.releaseExported();
            }
            child = new ChildHandle(started.pid, started.pidfd);
            child.watch();
            BootHandshake.perform(control[0], bootErr[0], message.encode(), context.bootTimeout(), child,
                    message.name);
            ready = true;
            return child;
        } catch (SystemCallException e) {
            throw new ProcessStartException("cannot start " + message.name + ": " + e.getMessage(), e);
        } finally {
            for (int fd : new int[] {control[0], control[1], bootErr[0], bootErr[1]}) {
                if (fd >= 0) {
                    FileDescriptors.close(fd);
                }
            }
            if (!ready && child != null) {
                killAndReap(child);
            }
        }
    }

    /** Child fd i is plan[i]; see {@link ChildFdLayout}. A tracker channel (if not -1) comes last. */
    private static int[] fdPlan(int bootErrWrite, int controlChild, int[] transferred, int trackerChannel) {
        int[] plan = new int[ChildFdLayout.FIRST_TRANSFERRED + transferred.length + (trackerChannel < 0 ? 0 : 1)];
        plan[ChildFdLayout.STDIN] = Spawn.DEV_NULL;
        plan[ChildFdLayout.STDOUT] = FileDescriptors.isOpen(1) ? 1 : Spawn.DEV_NULL;
        plan[ChildFdLayout.STDERR] = bootErrWrite;
        plan[ChildFdLayout.CONTROL] = controlChild;
        plan[ChildFdLayout.REAL_STDERR] = FileDescriptors.isOpen(2) ? 2 : Spawn.DEV_NULL;
        System.arraycopy(transferred, 0, plan, ChildFdLayout.FIRST_TRANSFERRED, transferred.length);
        if (trackerChannel >= 0) {
            plan[plan.length - 1] = trackerChannel;
        }
        return plan;
    }

    private static void killAndReap(ChildHandle child) {
        try {
            child.signal(ProcessCalls.SIGKILL);
            child.await(Duration.ofSeconds(10));
        } catch (SystemCallException ignored) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        child.close();
    }
}
