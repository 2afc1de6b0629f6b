package io.multiprocessing4j.internal.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where this process's cgroups are, for what reads its limits ({@link CpuCount}, {@link MemoryLimits}):
 * {@code /proc/self/cgroup} as it is now, and the directories its paths name. A v1 line names its
 * controllers ("4:memory:/path"), the v2 line none ("0::/path"); each path is relative to its
 * hierarchy's mount, and inside a container's cgroup namespace it may be "/", the mount itself.
 */
final class Cgroups {
    /** Where the hierarchies are mounted: v2 itself on a v2 host, v1's controllers beneath it. */
    static final Path ROOT = Path.of("/sys/fs/cgroup");

    /** The v1 controllers' paths by controller, and the v2 path (null if none). */
    private final Map<String, String> v1Paths;
    private final String v2Path;

    private Cgroups(Map<String, String> v1Paths, String v2Path) {
        this.v1Paths = v1Paths;
        this.v2Path = v2Path;
    }

    /** This process's cgroups, read now; null where /proc does not say. */
    static Cgroups ofThisProcess() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Map<String, String> v1Paths = new HashMap<>();
        String v2Path = null;
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                v2Path = parts[2];
            } else {
                for (String controller : parts[1].split(",")) {
                    v1Paths.put(controller, parts[2]);
                }
            }
        }
        return new Cgroups(v1Paths, v2Path);
    }

    /** The path of v1 controller {@code controller} (relative to its mount), or null if it is not on v1. */
    String v1Path(String controller) {
        return v1Paths.get(controller);
    }

    /** The v2 path (relative to {@link #ROOT}), or null if there is no v2 line. */
    String v2Path() {
        return v2Path;
    }

    /** {@code relative} under {@code mount}; null if it would leave the mount. */
    static Path under(Path mount, String relative) {
        Path directory = mount.resolve(relative.startsWith("/") ? relative.substring(1) : relative).normalize();
        return directory.startsWith(mount) ? directory : null;
    }

    /**
     * The v2 directories from ours up to {@link #ROOT}, ours first: a limit at any of them caps us.
     * Empty if there is no v2 line.
     */
    List<Path> v2Levels() {
        return v2Path == null ? List.of() : upTo(ROOT, under(ROOT, v2Path));
    }

    /**
     * The directories of v1 controller {@code controller} mounted at {@code mount}, from ours up to
     * the mount, ours first: v1 enforces a parent's CPU quota or memory limit on its children too.
     * Where our path is not visible there (a container's mount is its own cgroup), the mount alone.
     * Empty if the controller is not on v1 or not mounted there.
     */
    List<Path> v1Levels(Path mount, String controller) {
        String relative = v1Paths.get(controller);
        Path ours = relative == null ? null : visible(mount, relative);
        return ours == null ? List.of() : upTo(mount, ours);
    }

    /**
     * Our directory {@code relative} under {@code mount}; where it is not visible there (a
     * container's mount is its own cgroup), the mount itself; null if neither is a directory.
     */
    static Path visible(Path mount, String relative) {
        Path directory = under(mount, relative);
        if (directory == null) {
            return null;
        }
        return Files.isDirectory(directory) ? directory : Files.isDirectory(mount) ? mount : null;
    }

    /** A cgroup file holding one number ("max", and anything unreadable: {@link Long#MAX_VALUE}). */
    static long number(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.equals("max") ? Long.MAX_VALUE : Long.parseLong(text);
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static List<Path> upTo(Path mount, Path directory) {
        List<Path> levels = new ArrayList<>();
        for (Path level = directory; level != null && level.startsWith(mount); level = level.getParent()) {
            levels.add(level);
            if (level.equals(mount)) {
                break;
            }
        }
        return levels;
    }
}
