package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.Signals;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.nativ.Spawn;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Brings up one child: plans its fd table, spawns its JVM (or takes a warm spare), and walks it
 * through the handshake. Returns only once the child has taken its target; otherwise throws,
 * leaving no process, fd or zombie behind.
 */
public final class ChildLauncher {
    /**
     * What a spare still booting gets when its parent dies (see {@link #bootSpare}): a signal the
     * JVM leaves alone, so that its default action ends the spare, and which the spare ignores
     * once booted.
     */
    static final int SPARE_BOOT_DEATH_SIGNAL = Signals.SIGRTMAX;

    private static final System.Logger LOG = System.getLogger(ChildLauncher.class.getName());

    private ChildLauncher() {
    }

    /** Everything the child needs to know, with the fds its target carries. */
    public static ChildHandle launch(BootstrapMessage message, FdTransfer transfer) {
        SparePreload.note(message.targetClasses);
        if (message.context.warm()) {
            int[] fds = transfer.exportedFds();
            if (fds.length <= Sockets.MAX_PASSED_FDS) {
                // The fds the target carries travel to the spare with its orders (SCM_RIGHTS).
                ChildHandle warm;
                try {
                    warm = WarmSpares.of(message.context).launch(message, fds);
                } catch (RuntimeException e) {
                    transfer.releaseExported();
                    throw e;
                }
                if (warm != null) {
                    transfer.releaseExported();
                    return warm;
                } // no spare ready: spawned as under spawn (WarmSpares logs why)
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "warm start of " + message.name + " boots a JVM: its target"
                        + " carries " + fds.length + " file descriptors, more than one message can pass ("
                        + Sockets.MAX_PASSED_FDS + ")");
            }
        }
        JvmCommandLine.Mode mode = message.compactTarget
                ? JvmCommandLine.Mode.COMPACT_TARGET : JvmCommandLine.Mode.JAVA_SERIALIZED_TARGET;
        Booting booting = spawn(message.context, mode, transfer, message.daemon ? ProcessCalls.SIGKILL : 0);
        boolean ready = false;
        try {
            BootHandshake.handOff(booting.control.fd(), booting.bootErr.fd(), message.encode(), message.context.bootTimeout(),
                    booting.child, message.name);
            ready = true;
            return booting.child;
        } catch (SystemCallException e) {
            throw new ProcessStartException("cannot start " + message.name + ": " + e.getMessage(), e);
        } finally {
            booting.closeFds();
            if (!ready) {
                killAndReap(booting.child);
            }
        }
    }

    /**
     * Boots a warm spare of {@code context}: a JVM that waits for orders on its control socket.
     * Once booted, it loads the classes {@code preload} gives once it has booted (those of recent
     * targets, and other classes in use, as they stand then), so that its real orders meet them
     * loaded.
     *
     * <p>A spare must not outlive this process, and must not take a non-daemon child down with
     * it once it has become one. While it boots (which, niced on a busy machine, can take many
     * seconds) none of its code runs to notice that its parent is gone, so it is spawned with
     * {@link #SPARE_BOOT_DEATH_SIGNAL} as its parent-death signal, whose default action ends it.
     * PR_SET_PDEATHSIG belongs to the spare's first thread, which the JVM never hands back, so
     * the spare cannot disarm it; it ignores the signal instead, once booted and before it says
     * so (see ChildMain). From then on an unused spare exits when its control socket reaches EOF,
     * as it does when the parent dies, and one that becomes a daemon arms SIGKILL itself.
     */
    static Spare bootSpare(LaunchSettings context, Supplier<List<String>> preload) {
        Booting booting = spawn(context, JvmCommandLine.Mode.SPARE, FdTransfer.forWriting(), SPARE_BOOT_DEATH_SIGNAL);
        boolean ready = false;
        try {
            BootHandshake.awaitSpare(booting.control.fd(), booting.bootErr.fd(), context.bootTimeout(), booting.child);
            List<String> classes = preload.get(); // as they stand now, after the boot
            if (!classes.isEmpty()) {
                BootHandshake.preload(booting.control.fd(), booting.bootErr.fd(), SparePreload.frame(classes),
                        context.bootTimeout(), booting.child);
            }
            ready = true;
            Spare spare = new Spare(booting.child, booting.control);
            booting.control = null; // the spare owns it now
            return spare;
        } catch (SystemCallException e) {
            throw new ProcessStartException("cannot boot a warm spare: " + e.getMessage(), e);
        } finally {
            booting.closeFds();
            if (!ready) {
                killAndReap(booting.child);
            }
        }
    }

    /** A spawned child JVM and the parent's ends of its control socket and boot pipe. */
    private static final class Booting {
        final ChildHandle child;
        OwnedFd control;        // null once handed to a Spare
        final OwnedFd bootErr;

        Booting(ChildHandle child, OwnedFd control, OwnedFd bootErr) {
            this.child = child;
            this.control = control;
            this.bootErr = bootErr;
        }

        void closeFds() {
            if (control != null) {
                control.close();
            }
            bootErr.close();
        }
    }

    private static Booting spawn(LaunchSettings context, JvmCommandLine.Mode mode, FdTransfer transfer, int pdeathsig) {
        int[] transferred = transfer.exportedFds();
        // The child shares our resource tracker, if we have one: its channel follows the transferred fds.
        int trackerChannel = ResourceTracker.channelForChildren();
        int childTrackerFd = trackerChannel < 0 ? -1 : ChildFdLayout.FIRST_TRANSFERRED + transferred.length;
        List<String> argv = JvmCommandLine.build(context, mode, childTrackerFd);
        OwnedFd[] ends = new OwnedFd[4]; // control: parent, child; boot pipe: read (parent), write (child)
        try {
            int[] pair = new int[2];
            Sockets.socketpair(pair);
            ends[0] = new OwnedFd(pair[0]);
            ends[1] = new OwnedFd(pair[1]);
            FileDescriptors.pipe(pair);
            ends[2] = new OwnedFd(pair[0]);
            ends[3] = new OwnedFd(pair[1]);
            int[] plan = fdPlan(ends[3].fd(), ends[1].fd(), transferred, trackerChannel);
            int niceIncrement = mode == JvmCommandLine.Mode.SPARE ? SparePriority.bootNiceIncrement() : 0;
            Spawn.Started started = Spawner.spawn(argv.get(0), argv, plan, pdeathsig, niceIncrement);
            ChildHandle child = new ChildHandle(started.pid, started.pidfd);
            child.watch();
            Booting booting = new Booting(child, ends[0], ends[2]);
            ends[0] = null;
            ends[2] = null;
            return booting;
        } catch (SystemCallException e) {
            throw new ProcessStartException("cannot start a child JVM: " + e.getMessage() + missingLauncher(context, e)
                    + noRoomForAProcess(e), e);
        } finally {
            // The child has its own copies now (or there is no child): the parent's are done with.
            for (OwnedFd end : ends) {
                if (end != null) {
                    end.close();
                }
            }
            transfer.releaseExported();
        }
    }

    /**
     * What to do when there is no java launcher to run: a runtime made by {@code jlink
     * --strip-native-commands}, or a jpackage application's, has none of its own.
     */
    private static String missingLauncher(LaunchSettings context, SystemCallException e) {
        if (!e.call().startsWith("execve") || !"ENOENT".equals(e.errnoName())) {
            return "";
        }
        if (context.hasCustomJavaExecutable()) {
            return "; the context's javaExecutable names no program";
        }
        return "; this runtime (" + System.getProperty("java.home") + ") has no java launcher, as one made by jlink"
                + " --strip-native-commands or a jpackage application's: name one of the same JDK version with"
                + " ProcessContext.builder().javaExecutable(...)";
    }

    /** Which limit on tasks a clone refused with EAGAIN ran into (a process is a task as a thread is). */
    private static String noRoomForAProcess(SystemCallException e) {
        return e.call().equals("clone") && "EAGAIN".equals(e.errnoName()) ? "; " + TaskLimits.describe() : "";
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

    static void killAndReap(ChildHandle child) {
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
