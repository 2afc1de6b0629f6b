package io.multiprocessing4j;

import io.multiprocessing4j.internal.process.CpuCount;
import io.multiprocessing4j.internal.process.ParentHandle;
import io.multiprocessing4j.internal.process.ProcessIdentity;
import java.util.Arrays;
import java.util.List;
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
}
