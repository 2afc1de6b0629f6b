package io.multiprocessing4j;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.internal.connection.ConnectionAccess;
import io.multiprocessing4j.internal.connection.ReadinessWait;
import io.multiprocessing4j.internal.process.CpuCount;
import io.multiprocessing4j.internal.process.OrphanReaper;
import io.multiprocessing4j.internal.process.ParentHandle;
import io.multiprocessing4j.internal.process.ProcessIdentity;
import io.multiprocessing4j.internal.time.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The module-level functions of Python's {@code multiprocessing}: who am I, who is my parent,
 * which children are running, how many CPUs may I use, and which contexts exist.
 */
public final class Multiprocessing {
    private static volatile CurrentProcess current;
    private static volatile ParentProcess parent;

    private Multiprocessing() {
    }

    /** This process: {@code MainProcess} in the JVM started by hand, the child's own name in a child. */
    public static CurrentProcess currentProcess() {
        ProcessIdentity identity = ProcessIdentity.current();
        CurrentProcess view = current;
        if (view == null || !view.sameIdentity(identity)) {
            view = new CurrentProcess(identity);
            current = view;
        }
        return view;
    }

    /** The process that started this one; empty in the main process. */
    public static Optional<ParentProcess> parentProcess() {
        ParentHandle handle = ParentHandle.current();
        if (handle == null) {
            return Optional.empty();
        }
        ParentProcess view = parent;
        if (view == null) {
            view = new ParentProcess(handle, ProcessIdentity.current().parentName());
            parent = view;
        }
        return Optional.of(view);
    }

    /** The children of this process that are still running; finished ones are collected on the way. */
    public static List<ChildProcess> activeChildren() {
        return ChildProcess.activeChildren();
    }

    /**
     * The number of CPUs this process may use: its CPU affinity, capped by a cgroup CPU quota
     * (a container's {@code --cpus}). Python's {@code os.cpu_count()} ignores both; its
     * {@code os.process_cpu_count()} honours the affinity.
     */
    public static int cpuCount() {
        return CpuCount.get();
    }

    /**
     * The system property that decides whether this JVM reaps orphaned processes it did not start:
     * {@code auto} (the default) reaps them when the JVM is PID 1 of a PID namespace, as in a
     * container whose entry point is {@code java}; {@code true} also makes it a child subreaper
     * (see {@link #becomeChildSubreaper()}); {@code false} never reaps. Read when the first child is
     * started.
     */
    public static final String REAP_ORPHANS_PROPERTY = OrphanReaper.PROPERTY;

    /**
     * Makes this JVM a child subreaper (Linux {@code PR_SET_CHILD_SUBREAPER}): descendants whose
     * parent dies are re-parented to this JVM instead of to init, and this JVM reaps them so that
     * none stays a zombie. Only processes this JVM did not start are reaped this way: the exit
     * status of its own children and of {@link ProcessBuilder} children is never taken from their
     * owners. At PID 1 this happens without asking. Idempotent.
     *
     * @throws IllegalStateException if the kernel refuses
     */
    public static void becomeChildSubreaper() {
        OrphanReaper.becomeSubreaper();
    }

    /** The default context. */
    public static ProcessContext getContext() {
        return ProcessContext.defaultContext();
    }

    /**
     * The default context's settings with the named start method (Python's
     * {@code get_context("spawn")}); {@link IllegalArgumentException} for an unknown method.
     */
    public static ProcessContext getContext(String method) {
        StartMethod startMethod = StartMethod.forName(method);
        return ProcessContext.defaultContext().toBuilder().startMethod(startMethod).build();
    }

    /** The start methods this platform supports, by their Python names. */
    public static List<String> getAllStartMethods() {
        return Arrays.stream(StartMethod.values()).map(StartMethod::pythonName).toList();
    }

    /**
     * Waits until at least one of {@code objects} is ready and returns the ready ones, in the
     * order given (Python's {@code multiprocessing.connection.wait}); see
     * {@link #wait(Collection, Duration)}. Waits indefinitely.
     */
    public static <T> List<T> wait(Collection<? extends T> objects) throws IOException {
        Objects.requireNonNull(objects, "objects");
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("nothing to wait for: the collection is empty");
        }
        return awaitReady(objects, -1);
    }

    /**
     * Waits up to {@code timeout} until at least one of {@code objects} is ready and returns the
     * ready ones, in the order given; an empty list when the time ran out (Python's
     * {@code multiprocessing.connection.wait}). A negative timeout counts as zero.
     *
     * <p>The objects may be:
     * <ul>
     *   <li>a {@link Connection}: ready when a message (or the end of the stream) can be received;
     *   <li>a {@link ChildProcess} (its {@link ChildProcess#sentinel() sentinel}) or a
     *       {@link ParentProcess}: ready when that process has ended;
     *   <li>a {@link Listener}: ready when a client waits to be accepted;
     *   <li>an {@link Integer}: a raw file descriptor, such as a sentinel, ready when readable.
     * </ul>
     * Closing one of the connections or listeners from another thread wakes the wait, which then
     * returns it as ready. {@link Thread#interrupt()} ends the wait with
     * {@link java.io.InterruptedIOException} (the interrupt status stays set); an interrupted
     * thread gets it at once, whatever the timeout. At most 1024 objects; a closed connection or an
     * fd that is not open is an error.
     */
    public static <T> List<T> wait(Collection<? extends T> objects, Duration timeout) throws IOException {
        Objects.requireNonNull(objects, "objects");
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.currentThread().isInterrupted()) {
            throw io.multiprocessing4j.internal.connection.ReadinessPoller.interrupted();
        }
        long nanos = Durations.toNanos(timeout);
        return awaitReady(objects, nanos);
    }

    private static <T> List<T> awaitReady(Collection<? extends T> objects, long timeoutNanos) throws IOException {
        List<T> given = new ArrayList<>(objects);
        Object[] targets = new Object[given.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = waitTarget(given.get(i));
        }
        boolean[] ready = ReadinessWait.await(targets, timeoutNanos);
        List<T> result = new ArrayList<>();
        for (int i = 0; i < ready.length; i++) {
            if (ready[i]) {
                result.add(given.get(i));
            }
        }
        return result;
    }

    private static Object waitTarget(Object object) {
        if (object instanceof Connection) {
            return ConnectionAccess.get().channelOf((Connection) object);
        }
        if (object instanceof ChildProcess) {
            return ((ChildProcess) object).sentinel();
        }
        if (object instanceof ParentProcess) {
            return ((ParentProcess) object).sentinel();
        }
        if (object instanceof Listener) {
            return ConnectionAccess.get().waitableOf((Listener) object);
        }
        if (object instanceof Integer) {
            int fd = (Integer) object;
            if (fd < 0) {
                throw new IllegalArgumentException("not a file descriptor: " + fd);
            }
            return fd;
        }
        throw new IllegalArgumentException("cannot wait for " + (object == null ? "null"
                : "a " + object.getClass().getName()) + ": expected a Connection, ChildProcess, ParentProcess,"
                + " Listener or Integer file descriptor");
    }
}
