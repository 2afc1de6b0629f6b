package io.multiprocessing4j.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A command prefix for a {@link SeparateJvm} that runs it in a private mount namespace with a small
 * tmpfs over /dev/shm, so that a full /dev/shm can be tested without touching anybody else's
 * shared memory. Needs root (to mount) and unshare(1); a test is skipped without them.
 */
public final class SmallDevShm {
    /** The wrapper's exit code when it cannot mount (no privilege in this container, say). */
    public static final int CANNOT_MOUNT = 77;

    private SmallDevShm() {
    }

    /** The prefix for a /dev/shm of {@code size} (tmpfs's syntax: "1m", "2m"); skips the test where it cannot work. */
    public static List<String> wrapper(String size) {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a small tmpfs; skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare(1); skipped");
        return List.of("/usr/bin/unshare", "--mount", "--propagation", "private", "--",
                "/bin/sh", "-c", "mount -t tmpfs -o size=" + size + " tmpfs /dev/shm || exit " + CANNOT_MOUNT
                        + "; exec \"$@\"",
                "sh");
    }

    /** Skips the test if the JVM's {@code exit} code says the mount could not be made. */
    public static void assumeMounted(int exit) {
        assumeTrue(exit != CANNOT_MOUNT, "cannot mount a tmpfs in a new mount namespace here; skipped");
    }
}
