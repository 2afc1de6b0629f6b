package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.threads.LibraryThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The children this process started and that have not been seen to end: Python's
 * {@code _children}, behind {@code activeChildren()} and the exit-time cleanup.
 *
 * <p>At normal JVM exit (a shutdown hook), daemon children are terminated and then every
 * child is joined, as Python's {@code _exit_function} does, with one difference: a daemon child
 * that is still alive {@link #DAEMON_GRACE} after its SIGTERM (it ignores or handles the signal) is
 * killed, where Python would wait for it for ever.
 *
 * <p>When a signal stops the JVM ({@link ShutdownCause}), the exit is bounded: daemon children are
 * ended the same way, and non-daemon children are left running, as they are when Python's parent
 * is killed by a signal, instead of being joined.
 *
 * @param <P> the public process type (kept generic so this package does not depend on it)
 */
public final class ChildRegistry<P> {
    /** What the registry needs to do to a process at exit. */
    public interface ExitActions<P> {
        boolean isDaemon(P process);

        void terminate(P process);

        void join(P process) throws InterruptedException;

        /** Whether it ended within {@code timeout}. */
        boolean join(P process, Duration timeout) throws InterruptedException;

        void kill(P process);
    }

    /** How long a daemon child has to end after its SIGTERM at exit, before it is killed. */
    public static final Duration DAEMON_GRACE = Duration.ofSeconds(1);

    private final Map<ChildHandle, P> active = new ConcurrentHashMap<>();
    private final ExitActions<P> actions;
    private volatile boolean hookInstalled;

    public ChildRegistry(ExitActions<P> actions) {
        this.actions = actions;
    }

    /** Tracks a started child until its end is collected. */
    public void add(ChildHandle handle, P process) {
        installHook();
        active.put(handle, process);
        handle.exitFuture().whenComplete((code, error) -> active.remove(handle));
    }

    /** The children still running; the end of any that has finished is collected on the way. */
    public List<P> active() {
        List<P> running = new ArrayList<>();
        for (Map.Entry<ChildHandle, P> entry : active.entrySet()) {
            if (!entry.getKey().hasExited()) {
                running.add(entry.getValue());
            }
        }
        return running;
    }

    public void forEachActive(Consumer<P> action) {
        active().forEach(action);
    }

    private void installHook() {
        if (!hookInstalled) {
            synchronized (this) {
                if (!hookInstalled) {
                    Runtime.getRuntime().addShutdownHook(LibraryThreads.shutdownHook("mp4j-exit", this::atExit));
                    hookInstalled = true;
                }
            }
        }
    }

    private void atExit() {
        try {
            endDaemonChildren();
            if (ShutdownCause.isSignal()) {
                return;
            }
            for (P process : active()) {
                actions.join(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM to every daemon child, then SIGKILL to those still alive after the grace period (shared by all). */
    private void endDaemonChildren() throws InterruptedException {
        List<P> daemons = new ArrayList<>();
        for (P process : active()) {
            if (actions.isDaemon(process)) {
                actions.terminate(process);
                daemons.add(process);
            }
        }
        long deadline = System.nanoTime() + DAEMON_GRACE.toNanos();
        for (P process : daemons) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!actions.join(process, Duration.ofNanos(left))) {
                actions.kill(process);
                actions.join(process);
            }
        }
    }
}
