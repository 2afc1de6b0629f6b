package io.multiprocessing4j;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Connections;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.internal.process.CpuCount;
import io.multiprocessing4j.internal.process.OrphanReaper;
import io.multiprocessing4j.internal.process.ParentHandle;
import io.multiprocessing4j.internal.process.ProcessIdentity;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
        List<T> given = new ArrayList<>(objects);
        return given.isEmpty() ? Connections.wait(given) : readyOf(given, Connections.wait(targets(given)));
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
     * fd that is not open is an error. Without processes, {@link Connections#wait(Collection, Duration)}
     * does the same.
     */
    public static <T> List<T> wait(Collection<? extends T> objects, Duration timeout) throws IOException {
        Objects.requireNonNull(objects, "objects");
        Objects.requireNonNull(timeout, "timeout");
        List<T> given = new ArrayList<>(objects);
        return readyOf(given, Connections.wait(targets(given), timeout));
    }

    /** What {@link Connections} waits on for each object: a process becomes its sentinel fd. */
    private static List<Object> targets(List<?> given) {
        List<Object> targets = new ArrayList<>(given.size());
        for (Object object : given) {
            targets.add(waitTarget(object));
        }
        return targets;
    }

    /** The given objects whose targets are ready (a sentinel is ready for each process it stands for). */
    private static <T> List<T> readyOf(List<T> given, List<Object> readyTargets) {
        Set<Object> ready = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Integer> readyFds = new HashSet<>();
        for (Object target : readyTargets) {
            if (target instanceof Integer) {
                readyFds.add((Integer) target);
            } else {
                ready.add(target);
            }
        }
        List<T> result = new ArrayList<>();
        for (T object : given) {
            Object target = waitTarget(object);
            if (target instanceof Integer ? readyFds.contains(target) : ready.contains(target)) {
                result.add(object);
            }
        }
        return result;
    }

    private static Object waitTarget(Object object) {
        if (object instanceof ChildProcess) {
            return ((ChildProcess) object).sentinel();
        }
        if (object instanceof ParentProcess) {
            return ((ParentProcess) object).sentinel();
        }
        if (object instanceof Connection || object instanceof Listener || object instanceof Integer) {
            return object;
        }
        throw new IllegalArgumentException("cannot wait for " + (object == null ? "null"
                : "a " + object.getClass().getName()) + ": expected a Connection, ChildProcess, ParentProcess,"
                + " Listener or Integer file descriptor");
    }
}
