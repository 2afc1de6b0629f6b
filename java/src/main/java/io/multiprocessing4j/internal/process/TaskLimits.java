package io.multiprocessing4j.internal.process;

import java.nio.file.Path;
import java.util.List;

/**
 * How many tasks (processes and threads: the kernel counts each thread as one) this process tree
 * may have, and how many more it may start: the pids controller's {@code pids.max} against its
 * {@code pids.current}, at every level of our cgroup (v1 enforces a parent's limit on its children
 * as v2 does). Container runtimes set one ({@code docker run --pids-limit}, a Kubernetes pod's
 * pid limit, systemd's {@code TasksMax}); at the limit, {@code clone} fails with EAGAIN, so a JVM
 * cannot start a thread ({@code OutOfMemoryError: unable to create native thread}) and a booting
 * one dies. A JVM is some twenty tasks, so what is optional, such as warm spares beyond the floor,
 * is booted by what these figures allow. Read when asked: usage changes while we run.
 *
 * <p>Not counted: the per-user {@code RLIMIT_NPROC} (reading its usage means walking /proc) and
 * the machine's {@code kernel.threads-max}, which are far larger where they are set at all.
 */
final class TaskLimits {
    private TaskLimits() {
    }

    /** The tightest {@code pids.max} over our cgroup's levels; {@link Long#MAX_VALUE} if none or unknown. */
    static long limit() {
        long limit = Long.MAX_VALUE;
        for (Path level : levels()) {
            limit = Math.min(limit, Cgroups.number(level.resolve("pids.max")));
        }
        return limit;
    }

    /** How many more tasks may start before some level's limit is reached; {@link Long#MAX_VALUE} if unlimited. */
    static long available() {
        long available = Long.MAX_VALUE;
        for (Path level : levels()) {
            long max = Cgroups.number(level.resolve("pids.max"));
            if (max == Long.MAX_VALUE) {
                continue;
            }
            long current = Cgroups.number(level.resolve("pids.current"));
            available = Math.min(available, current == Long.MAX_VALUE ? max : Math.max(0, max - current));
        }
        return available;
    }

    /**
     * The pids controller's directories from ours up: v1's hierarchy where it is there (hybrid
     * hosts), else v2's levels that have the controller's files; empty if neither is readable.
     */
    private static List<Path> levels() {
        Cgroups cgroups = Cgroups.ofThisProcess();
        if (cgroups == null) {
            return List.of();
        }
        if (cgroups.v1Path("pids") != null) {
            return cgroups.v1Levels(Cgroups.ROOT.resolve("pids"), "pids");
        }
        return cgroups.v2Levels(); // a level without the controller has no pids.max: read as no limit
    }
}
