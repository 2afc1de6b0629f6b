package io.multiprocessing4j.internal.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

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
            long limit = cgroup.limit();
            if (limit != Long.MAX_VALUE) {
                available = Math.min(available, Math.max(0, limit - cgroup.workingSet()));
            }
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
        private final boolean v2;

        private Cgroup(Path directory, boolean v2) {
            this.directory = directory;
            this.v2 = v2;
        }

        /**
         * From /proc/self/cgroup: the v1 memory controller's line if there is one (hybrid hosts
         * keep the controller there), else the v2 line. The path is relative to the hierarchy's
         * mount; inside a container's cgroup namespace it may be "/", the mount itself.
         */
        static Cgroup ofThisProcess() {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
            } catch (IOException | RuntimeException e) {
                return null;
            }
            String v2Path = null;
            for (String line : lines) {
                String[] parts = line.split(":", 3);
                if (parts.length != 3) {
                    continue;
                }
                if (List.of(parts[1].split(",")).contains("memory")) {
                    Path directory = under(CGROUP_ROOT.resolve("memory"), parts[2]);
                    return directory == null ? null : new Cgroup(directory, false);
                }
                if (parts[0].equals("0") && parts[1].isEmpty()) {
                    v2Path = parts[2];
                }
            }
            if (v2Path == null || !Files.exists(CGROUP_ROOT.resolve("cgroup.controllers"))) {
                return null; // no v2 hierarchy mounted at the usual place (a hybrid host's is elsewhere)
            }
            Path directory = under(CGROUP_ROOT, v2Path);
            return directory == null ? null : new Cgroup(directory, true);
        }

        /** Our directory under {@code mount}, or the mount itself if it is not visible (a namespace). */
        private static Path under(Path mount, String relative) {
            Path directory = mount.resolve(relative.startsWith("/") ? relative.substring(1) : relative).normalize();
            if (!directory.startsWith(mount)) {
                return null;
            }
            return Files.isDirectory(directory) ? directory : Files.isDirectory(mount) ? mount : null;
        }

        long limit() {
            if (!v2) {
                long limit = stat("hierarchical_memory_limit");
                if (limit == Long.MAX_VALUE) {
                    limit = number(directory.resolve("memory.limit_in_bytes"));
                }
                return limit >= V1_UNLIMITED ? Long.MAX_VALUE : limit;
            }
            long limit = Long.MAX_VALUE;
            for (Path level = directory; level.startsWith(CGROUP_ROOT); level = level.getParent()) {
                limit = Math.min(limit, number(level.resolve("memory.max"))); // any ancestor's caps us too
                if (level.equals(CGROUP_ROOT)) {
                    break;
                }
            }
            return limit;
        }

        long workingSet() {
            long usage = number(directory.resolve(v2 ? "memory.current" : "memory.usage_in_bytes"));
            if (usage == Long.MAX_VALUE) {
                return 0;
            }
            long inactiveFile = stat(v2 ? "inactive_file" : "total_inactive_file");
            return inactiveFile == Long.MAX_VALUE ? usage : Math.max(0, usage - inactiveFile);
        }

        /** A field of memory.stat, or {@link Long#MAX_VALUE}. */
        private long stat(String field) {
            try {
                for (String line : Files.readAllLines(directory.resolve("memory.stat"))) {
                    if (line.startsWith(field + " ")) {
                        return Long.parseLong(line.substring(field.length() + 1).trim());
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not readable: unknown
            }
            return Long.MAX_VALUE;
        }

        /** A file holding one number ("max" and anything unreadable: {@link Long#MAX_VALUE}). */
        private static long number(Path file) {
            try {
                String text = Files.readString(file).trim();
                return text.equals("max") ? Long.MAX_VALUE : Long.parseLong(text);
            } catch (IOException | RuntimeException e) {
                return Long.MAX_VALUE;
            }
        }
    }
}
