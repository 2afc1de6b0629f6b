package io.multiprocessing4j.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cgroup of its own with a limit, as a container has, and a command prefix that runs a
 * {@link SeparateJvm} in it: a memory limit, a CPU quota or a task limit, in cgroup v1's hierarchy of that
 * controller or, on a v2 host, in the unified one where its root delegates the controller.
 * {@link #nested()} puts the command one level down, in a group with no limit of its own (a
 * container inside its pod, a service inside its slice), where the limit still applies. Needs
 * root; a test is skipped where no group can be made. {@link #close()} kills what is still inside
 * and removes the groups.
 */
public final class Cgroup implements AutoCloseable {
    private static final Path V2 = Path.of("/sys/fs/cgroup");
    private static final long CPU_PERIOD_MICROS = 100_000;

    /** The groups made, the outermost first; commands run in the last. */
    private final List<Path> directories = new ArrayList<>();

    private Cgroup(Path directory) {
        directories.add(directory);
    }

    /** A new group whose memory is limited to {@code limitBytes}; skips the test where none can be made. */
    public static Cgroup withMemoryLimit(long limitBytes) throws IOException {
        String limit = Long.toString(limitBytes);
        return create("memory", List.of(Path.of("/sys/fs/cgroup/memory")), Map.of("memory.limit_in_bytes", limit),
                Map.of("memory.max", limit));
    }

    /** A new group that may hold at most {@code tasks} tasks (processes and threads); skips the test where none can be made. */
    public static Cgroup withTaskLimit(long tasks) throws IOException {
        String limit = Long.toString(tasks);
        return create("pids", List.of(Path.of("/sys/fs/cgroup/pids")), Map.of("pids.max", limit),
                Map.of("pids.max", limit));
    }

    /** A number the group's {@code file} holds now (such as {@code pids.current}). */
    public long read(String file) throws IOException {
        return Long.parseLong(Files.readString(directories.get(directories.size() - 1).resolve(file)).trim());
    }

    /** A new group with a CPU quota of {@code cpus} CPUs; skips the test where none can be made. */
    public static Cgroup withCpuQuota(double cpus) throws IOException {
        long quota = Math.round(cpus * CPU_PERIOD_MICROS);
        // v1: the period first, so that the quota is read against it.
        Map<String, String> v1 = new LinkedHashMap<>();
        v1.put("cpu.cfs_period_us", Long.toString(CPU_PERIOD_MICROS));
        v1.put("cpu.cfs_quota_us", Long.toString(quota));
        return create("cpu", List.of(Path.of("/sys/fs/cgroup/cpu,cpuacct"), Path.of("/sys/fs/cgroup/cpu")), v1,
                Map.of("cpu.max", quota + " " + CPU_PERIOD_MICROS));
    }

    private static Cgroup create(String controller, List<Path> v1Mounts, Map<String, String> v1Files,
                                 Map<String, String> v2Files) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make a cgroup; skipped");
        Path mount = null;
        for (Path candidate : v1Mounts) {
            if (Files.isWritable(candidate.resolve("cgroup.procs"))) {
                mount = candidate;
                break;
            }
        }
        boolean v2 = mount == null && Files.isReadable(V2.resolve("cgroup.subtree_control"))
                && List.of(Files.readString(V2.resolve("cgroup.subtree_control")).trim().split("\\s+")).contains(controller);
        assumeTrue(mount != null || v2, "no " + controller + " cgroup hierarchy this process may write; skipped");
        Path directory = (v2 ? V2 : mount).resolve("mp4j-test-" + UUID.randomUUID());
        try {
            Files.createDirectory(directory);
        } catch (IOException e) {
            assumeTrue(false, "cannot make a " + controller + " cgroup here (" + e + "); skipped");
        }
        Cgroup group = new Cgroup(directory);
        try {
            for (Map.Entry<String, String> file : (v2 ? v2Files : v1Files).entrySet()) {
                Files.writeString(directory.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
        return group;
    }

    /** From now on, commands run in a group inside this one, with no limit of its own. */
    public Cgroup nested() throws IOException {
        Path inner = directories.get(directories.size() - 1).resolve("inner");
        Files.createDirectory(inner);
        directories.add(inner);
        return this;
    }

    /** A prefix that moves the shell into the group, then runs the command (which stays in it, as do its children). */
    public List<String> wrapper() {
        Path procs = directories.get(directories.size() - 1).resolve("cgroup.procs");
        return List.of("/bin/sh", "-c", "echo $$ > " + procs + " && exec \"$@\"", "sh");
    }

    @Override
    public void close() throws IOException {
        for (int i = directories.size() - 1; i >= 0; i--) {
            empty(directories.get(i));
            Files.delete(directories.get(i)); // rmdir: a cgroup's files go with it
        }
    }

    private static void empty(Path directory) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> pids = Files.readAllLines(directory.resolve("cgroup.procs"));
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (pids.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("processes " + pids + " are still in " + directory);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while emptying " + directory, e);
            }
        }
    }
}
