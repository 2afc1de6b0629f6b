package io.multiprocessing4j.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where the library keeps what it writes once and reuses (the extracted native library, the
 * class-data archives for children): one list of candidate directories, in order, for both.
 *
 * <p>The first candidate is {@value #PROPERTY} if set, else {@code $XDG_CACHE_HOME/multiprocessing4j}
 * if that is an absolute path (the XDG specification says to ignore a relative one), else
 * {@code ~/.cache/multiprocessing4j} if the JVM knows a home directory. The last is always
 * {@code <java.io.tmpdir>/multiprocessing4j-<uid>}. A process whose user has no passwd entry
 * (an arbitrary uid in a container, as OpenShift and {@code docker run --user} give) has
 * {@code user.home} "?" or an unwritable "/", and {@code user.name} "?": the temporary directory is
 * named by the uid so that two such users do not contend for one directory.
 *
 * <p>Every candidate must pass {@link #ensurePrivate} before anything in it is used: the library
 * maps code and class data from these directories, so one that another user can write to (a
 * predictable name in a shared /tmp, say) must never be trusted.
 */
public final class CacheDirectories {
    /** System property naming the cache directory. */
    public static final String PROPERTY = "multiprocessing4j.cacheDir";
    private static final String NAME = "multiprocessing4j";

    private CacheDirectories() {
    }

    /** The candidates, best first; the last is the private folder in java.io.tmpdir. */
    public static List<Path> candidates() {
        List<Path> directories = new ArrayList<>(2);
        String configured = System.getProperty(PROPERTY);
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        if (configured != null && !configured.isBlank()) {
            directories.add(Path.of(configured.trim()));
        } else if (xdg != null && xdg.startsWith("/")) {
            directories.add(Path.of(xdg, NAME));
        } else if (home != null && home.startsWith("/")) { // not "?" (no passwd entry), never relative
            directories.add(Path.of(home, ".cache", NAME));
        }
        directories.add(temporary());
        return directories;
    }

    /** The last candidate: {@code <java.io.tmpdir>/multiprocessing4j-<uid>}. */
    public static Path temporary() {
        int uid = ownUid();
        return Path.of(System.getProperty("java.io.tmpdir"),
                NAME + "-" + (uid >= 0 ? Integer.toString(uid) : System.getProperty("user.name")));
    }

    /**
     * The first candidate that is, or can be made, a private directory of ours that we can write
     * to; {@code failures} receives "directory: reason" for each one passed over.
     */
    public static Path firstWritable(List<String> failures) throws IOException {
        IOException last = null;
        for (Path directory : candidates()) {
            try {
                ensurePrivate(directory);
                if (!Files.isWritable(directory)) {
                    throw new IOException(directory + " is not writable");
                }
                return directory;
            } catch (IOException | SecurityException e) {
                failures.add(directory + ": " + e);
                last = e instanceof IOException ? (IOException) e : new IOException(e);
            }
        }
        throw last;
    }

    /**
     * Creates {@code directory} (0700) if missing; then requires a plain directory (no symbolic
     * link) owned by our uid, and takes its permissions down to 0700 if they are wider. Returns it.
     */
    public static Path ensurePrivate(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(ownerOnly()));
            } catch (FileAlreadyExistsException raced) {
                // created concurrently: verified below like any existing directory
            }
        }
        if (Files.isSymbolicLink(directory) || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(directory + " is not a plain directory");
        }
        Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int self = ownUid();
        if (self < 0 || !owner.equals(self)) {
            throw new IOException(directory + " belongs to uid " + owner + ", not to us (uid " + self + ")");
        }
        if (!Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS).equals(ownerOnly())) {
            Files.setPosixFilePermissions(directory, ownerOnly());
        }
        return directory;
    }

    /**
     * Our uid as the owner of /proc/self (no native call, so usable before the library loads), or -1
     * without /proc: then no directory can be proven ours.
     */
    private static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * "rwx------". Not a static field: building it (an EnumSet, whose values() is found by
     * reflection) would cost every child's boot, where nothing is extracted or built.
     */
    private static Set<PosixFilePermission> ownerOnly() {
        return PosixFilePermissions.fromString("rwx------");
    }
}
