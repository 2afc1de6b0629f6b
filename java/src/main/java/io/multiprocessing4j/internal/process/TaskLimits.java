package io.multiprocessing4j.internal.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <p>The per-user {@code RLIMIT_NPROC} ({@code ulimit -u}; RHEL gives users 4096) counts in the
 * {@link #limit() limit}, where the kernel applies it to us, but not in what is {@link #available()}:
 * it counts every task of our uid, other programs' too, and knowing how many there are means
 * walking /proc, which only an error message ({@link #describe()}) does. Not counted at all: the
 * machine's {@code kernel.threads-max}, far larger where it is set.
 */
final class TaskLimits {
    private TaskLimits() {
    }

    /** Where the kernel says how many tasks our user may have: the soft limit, the one enforced. */
    private static final Pattern MAX_PROCESSES = Pattern.compile("(?m)^Max processes\\s+(\\S+)");
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_SYS_RESOURCE = 24;

    /**
     * The tightest of the per-user limit and the {@code pids.max} of our cgroup's levels;
     * {@link Long#MAX_VALUE} if none applies or none can be read.
     */
    static long limit() {
        long limit = userLimit();
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
     * The per-user limit on tasks ({@code RLIMIT_NPROC}'s soft limit) where the kernel applies it
     * to this process, else {@link Long#MAX_VALUE}: it exempts the initial user namespace's root and
     * holders of CAP_SYS_RESOURCE or CAP_SYS_ADMIN there (a rootless container's root is not exempt).
     */
    static long userLimit() {
        Matcher soft = MAX_PROCESSES.matcher(read("/proc/self/limits"));
        if (!soft.find() || soft.group(1).equals("unlimited")) {
            return Long.MAX_VALUE;
        }
        long limit;
        try {
            limit = Long.parseLong(soft.group(1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
        String status = read("/proc/self/status");
        boolean initialNamespace = read("/proc/self/uid_map").trim().matches("0\\s+0\\s+4294967295");
        boolean exempt = initialNamespace && (realUid(status) == 0
                || hasCapability(status, CAP_SYS_RESOURCE) || hasCapability(status, CAP_SYS_ADMIN));
        return exempt ? Long.MAX_VALUE : limit;
    }

    /**
     * Why a JVM may have found no room for a thread, for an error message: the limits on tasks that
     * apply here, and how much of each is taken.
     */
    static String describe() {
        List<String> limits = new ArrayList<>();
        long user = userLimit();
        if (user != Long.MAX_VALUE) {
            long uid = realUid(read("/proc/self/status"));
            limits.add("the per-user limit (RLIMIT_NPROC, ulimit -u) is " + user + " tasks, and uid " + uid + " has "
                    + tasksOf(uid) + " (those visible here)");
        }
        Path tightest = null;
        long tightestLeft = Long.MAX_VALUE;
        for (Path level : levels()) {
            long max = Cgroups.number(level.resolve("pids.max"));
            long current = Cgroups.number(level.resolve("pids.current"));
            if (max != Long.MAX_VALUE && (tightest == null || max - current < tightestLeft)) {
                tightest = level;
                tightestLeft = current == Long.MAX_VALUE ? max : max - current;
            }
        }
        if (tightest != null) {
            limits.add("the cgroup " + tightest + " allows " + Cgroups.number(tightest.resolve("pids.max"))
                    + " tasks (pids.max), " + Cgroups.number(tightest.resolve("pids.current")) + " taken");
        }
        if (limits.isEmpty()) {
            return "no limit on tasks applies here (neither RLIMIT_NPROC nor a cgroup's pids.max): the machine's"
                    + " kernel.threads-max, or memory for thread stacks, ran out";
        }
        return "every thread is a task, and a JVM takes some twenty; " + String.join("; ", limits)
                + ": raise the limit, or start fewer processes at a time";
    }

    /** How many tasks (threads) of real uid {@code uid} this process can see in /proc. */
    private static long tasksOf(long uid) {
        long tasks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String status = read(process.resolve("status").toString());
                if (!status.isEmpty() && realUid(status) == uid) {
                    tasks += field(status, "Threads:");
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return tasks;
    }

    private static long realUid(String status) {
        return field(status, "Uid:");
    }

    private static boolean hasCapability(String status, int capability) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16) & (1L << capability)) != 0;
            }
        }
        return false;
    }

    /** The first number after {@code key} in a /proc status text; -1 if there is none. */
    private static long field(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                String[] values = line.substring(key.length()).trim().split("\\s+");
                try {
                    return Long.parseLong(values[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** A /proc file's text; empty if it cannot be read (a process gone meanwhile, say). */
    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return "";
        }
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
