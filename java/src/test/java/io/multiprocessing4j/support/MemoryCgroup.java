package io.multiprocessing4j.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A memory cgroup of its own with a limit, as a container has, and a command prefix that runs a
 * {@link SeparateJvm} in it. cgroup v1's memory hierarchy or, on a v2 host, the unified one where
 * its root delegates the memory controller. Needs root; a test is skipped where it cannot be made.
 * {@link #close()} kills what is still inside and removes the group.
 */
public final class MemoryCgroup implements AutoCloseable {
    private static final Path V1 = Path.of("/sys/fs/cgroup/memory");
    private static final Path V2 = Path.of("/sys/fs/cgroup");

    private final Path directory;

    private MemoryCgroup(Path directory) {
        this.directory = directory;
    }

    /** A new group limited to {@code limitBytes}; skips the test where none can be made. */
    public static MemoryCgroup create(long limitBytes) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make a memory cgroup; skipped");
        boolean v1 = Files.isWritable(V1.resolve("cgroup.procs"));
        boolean v2 = !v1 && Files.isReadable(V2.resolve("cgroup.subtree_control"))
                && List.of(Files.readString(V2.resolve("cgroup.subtree_control")).trim().split("\\s+")).contains("memory");
        assumeTrue(v1 || v2, "no memory cgroup hierarchy this process may write; skipped");
        Path directory = (v1 ? V1 : V2).resolve("mp4j-test-" + UUID.randomUUID());
        try {
            Files.createDirectory(directory);
        } catch (IOException e) {
            assumeTrue(false, "cannot make a memory cgroup here (" + e + "); skipped");
        }
        MemoryCgroup group = new MemoryCgroup(directory);
        try {
            Files.writeString(directory.resolve(v1 ? "memory.limit_in_bytes" : "memory.max"), Long.toString(limitBytes));
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
        return group;
    }

    /** A prefix that moves the shell into the group, then runs the command (which stays in it, as do its children). */
    public List<String> wrapper() {
        return List.of("/bin/sh", "-c", "echo $$ > " + directory.resolve("cgroup.procs") + " && exec \"$@\"", "sh");
    }

    @Override
    public void close() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> pids = Files.readAllLines(directory.resolve("cgroup.procs"));
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (pids.isEmpty()) {
                break;
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
        Files.delete(directory); // rmdir: a cgroup's files go with it
    }
}
