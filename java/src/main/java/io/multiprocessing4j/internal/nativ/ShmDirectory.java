package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.internal.CacheDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where this process tree keeps its named shared memory: {@code /dev/shm}, as glibc's
 * {@code shm_open} does, unless it is missing or read-only here (AWS Lambda has none; some
 * sandboxes and hardened containers mount it read-only), where CPython's locks, queues and pools
 * fail outright. There the segments go to a private folder, {@code shm} in
 * {@link CacheDirectories#temporary()} (0700, ours), and anonymous ones (locks, values, arrays,
 * queue buffers) need no directory at all: they come from {@code memfd_create}.
 *
 * <p>Decided once by the first process of a tree, which hands the choice to every JVM it starts
 * ({@value #PROPERTY}, only when it is not /dev/shm): a child, a spare and the resource tracker
 * must find the segments their parent named. A fallback folder on a disk-backed temporary
 * directory pages shared memory to that disk; {@code -Djava.io.tmpdir} on a tmpfs avoids it.
 */
public final class ShmDirectory {
    /** System property: the directory a parent chose, for the JVMs it starts. */
    public static final String PROPERTY = "multiprocessing4j.shmDirectory";
    /** Where glibc keeps POSIX shared memory. */
    public static final String DEV_SHM = "/dev/shm";

    private static volatile String chosen;
    private static volatile byte[] bytes;

    private ShmDirectory() {
    }

    /** The directory, decided at first use. */
    public static String path() {
        String directory = chosen;
        if (directory == null) {
            directory = decide();
            bytes = directory.getBytes(StandardCharsets.UTF_8);
            chosen = directory;
        }
        return directory;
    }

    /** Whether /dev/shm is unusable here, so that anonymous segments come from memfd_create. */
    public static boolean isFallback() {
        return !DEV_SHM.equals(path());
    }

    static byte[] bytes() {
        path();
        return bytes;
    }

    private static String decide() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        Path devShm = Path.of(DEV_SHM);
        if (Files.isDirectory(devShm) && Files.isWritable(devShm)) {
            return DEV_SHM;
        }
        try {
            Path folder = CacheDirectories.ensurePrivate(CacheDirectories.ensurePrivate(CacheDirectories.temporary())
                    .resolve("shm"));
            if (Files.isWritable(folder)) {
                System.getLogger(ShmDirectory.class.getName()).log(System.Logger.Level.DEBUG, () -> DEV_SHM
                        + " is missing or read-only: named shared memory goes to " + folder
                        + ", anonymous shared memory comes from memfd_create");
                return folder.toString();
            }
        } catch (IOException | RuntimeException e) {
            // nothing better: errors will name /dev/shm and why it failed
        }
        return DEV_SHM;
    }
}
