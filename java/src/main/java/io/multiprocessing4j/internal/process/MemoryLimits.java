package io.multiprocessing4j.internal.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much memory this process and the processes it starts may use, and how much of it is free:
 * the tightest of the machine's RAM and a memory cgroup's limit (v2 {@code memory.max} at every
 * level of our cgroup, or v1's hierarchical limit). In a container, exceeding the limit does not
 * fail an allocation: the kernel's OOM killer ends a process of the container, often the largest,
 * which is the JVM that started the children. So what is optional, such as warm spares beyond the
 * floor, is sized and booted by what these figures allow.
 *
 * <p>Memory in use is the cgroup's usage less its inactive file pages, which the kernel reclaims
 * before it kills anything (the working set, as container runtimes count it); on the host,
 * {@code MemAvailable}. Every figure is read when asked: limits and usage change while we run.
 */
public final class MemoryLimits {
    /** What a value at or above this means in cgroup v1: no limit (the largest page-aligned long). */
    private static final long V1_UNLIMITED = Long.MAX_VALUE / 2;

    private MemoryLimits() {
    }

    /** The most memory this process tree may use, in bytes; {@link Long#MAX_VALUE} if unknown. */
    public static long limit() {
        long limit = meminfo("MemTotal:");
        Cgroup cgroup = Cgroup.ofThisProcess();
        if (cgroup != null) {
            limit = Math.min(limit, cgroup.limit());
        }
        return limit;
    }

    /**
     * How much more memory this process tree may take before the kernel must kill something, in
     * bytes; {@link Long#MAX_VALUE} if unknown.
     */
    public static long available() {
        long available = meminfo("MemAvailable:");
        Cgroup cgroup = Cgroup.ofThisProcess();
        if (cgroup != null) {
            available = Math.min(available, cgroup.available());
        }
        return available;
    }

    /** A field of /proc/meminfo in bytes, or {@link Long#MAX_VALUE} if it cannot be read. */
    private static long meminfo(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // always in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing known from here
        }
        return Long.MAX_VALUE;
    }

    /** Our memory cgroup: a v2 directory (walked up for the limit) or a v1 one. */
    private static final class Cgroup {
        private final Path directory;
        /** The v2 levels from ours up to the root; null on v1. */
        private final List<Path> v2Levels;

        private Cgroup(Path directory, List<Path> v2Levels) {
            this.directory = directory;
            this.v2Levels = v2Levels;
        }

        /**
         * The v1 memory controller's directory if it is on v1 (hybrid hosts keep it there), else
         * the v2 one; in a cgroup namespace, where our path is not visible, the mount itself.
         */
        static Cgroup ofThisProcess() {
            Cgroups cgroups = Cgroups.ofThisProcess();
            if (cgroups == null) {
                return null;
            }
            String v1 = cgroups.v1Path("memory");
            if (v1 != null) {
                Path directory = Cgroups.visible(Cgroups.ROOT.resolve("memory"), v1);
                return directory == null ? null : new Cgroup(directory, null);
            }
            if (cgroups.v2Path() == null || !Files.exists(Cgroups.ROOT.resolve("cgroup.controllers"))) {
                return null; // no v2 hierarchy mounted at the usual place (a hybrid host's is elsewhere)
            }
            Path directory = Cgroups.visible(Cgroups.ROOT, cgroups.v2Path());
            return directory == null ? null : new Cgroup(directory, cgroups.v2Levels());
        }

        long limit() {
            return limit(v2Levels == null ? stat() : Map.of());
        }

        /** The limit less the working set; {@link Long#MAX_VALUE} without a limit. memory.stat is read once. */
        long available() {
            Map<String, Long> stat = stat();
            long limit = limit(stat);
            if (limit == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            long usage = Cgroups.number(directory.resolve(v2Levels != null ? "memory.current" : "memory.usage_in_bytes"));
            if (usage == Long.MAX_VALUE) {
                return limit;
            }
            Long inactiveFile = stat.get(v2Levels != null ? "inactive_file" : "total_inactive_file");
            long workingSet = inactiveFile == null ? usage : Math.max(0, usage - inactiveFile);
            return Math.max(0, limit - workingSet);
        }

        private long limit(Map<String, Long> stat) {
            if (v2Levels == null) {
                Long hierarchical = stat.get("hierarchical_memory_limit");
                long limit = hierarchical != null ? hierarchical : Cgroups.number(directory.resolve("memory.limit_in_bytes"));
                return limit >= V1_UNLIMITED ? Long.MAX_VALUE : limit;
            }
            long limit = Long.MAX_VALUE;
            for (Path level : v2Levels) {
                limit = Math.min(limit, Cgroups.number(level.resolve("memory.max"))); // any ancestor's caps us too
            }
            return limit;
        }

        /** memory.stat's numeric fields (empty if unreadable). */
        private Map<String, Long> stat() {
            Map<String, Long> fields = new HashMap<>();
            try {
                for (String line : Files.readAllLines(directory.resolve("memory.stat"))) {
                    int space = line.indexOf(' ');
                    if (space > 0) {
                        try {
                            fields.put(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()));
                        } catch (NumberFormatException notANumber) {
                            // not one we read
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not readable: unknown
            }
            return fields;
        }
    }
}
