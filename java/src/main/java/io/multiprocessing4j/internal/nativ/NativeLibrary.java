package io.multiprocessing4j.internal.nativ;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * Finds, extracts and loads {@code libmultiprocessing4j.so}.
 *
 * <p>The library travels inside the jar under {@code META-INF/native/linux-<arch>/}. It is
 * extracted once per content digest into a private (0700, owned by us) cache directory, so
 * that later JVMs, and every child JVM, load it without copying or hashing anything. A parent
 * hands its child the extracted path in {@value #PATH_PROPERTY}.
 */
public final class NativeLibrary {
    /** System property naming an already extracted library file to load as is. */
    public static final String PATH_PROPERTY = "multiprocessing4j.library";
    /** System property overriding the extraction cache directory. */
    public static final String CACHE_PROPERTY = "multiprocessing4j.cacheDir";

    private static final String LIBRARY = "libmultiprocessing4j.so";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private static volatile String loadedPath;

    private NativeLibrary() {
    }

    /** Loads the library unless already loaded; throws {@link UnsatisfiedLinkError} with the reason. */
    public static void load() {
        if (loadedPath == null) {
            loadOnce();
        }
    }

    /** The file the library was loaded from: what a child JVM is told to load. */
    public static String path() {
        load();
        return loadedPath;
    }

    private static synchronized void loadOnce() {
        if (loadedPath != null) {
            return;
        }
        String given = System.getProperty(PATH_PROPERTY);
        String path = given != null && !given.isEmpty() ? given : extract();
        System.load(path);
        loadedPath = path;
    }

    /** {@code linux-x86_64}, {@code linux-aarch64}, ... as named by the build. */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.startsWith("linux") ? "linux" : os.replace(' ', '_');
        String archPart;
        switch (arch) {
            case "amd64":
            case "x86_64":
                archPart = "x86_64";
                break;
            case "aarch64":
            case "arm64":
                archPart = "aarch64";
                break;
            default:
                archPart = arch;
        }
        return osPart + "-" + archPart;
    }

    private static String extract() {
        String platform = platform();
        String resource = "/META-INF/native/" + platform + "/" + LIBRARY;
        String digest = readDigest(resource + ".sha256");
        if (digest == null || NativeLibrary.class.getResource(resource) == null) {
            throw new UnsatisfiedLinkError("multiprocessing4j has no native library for platform '" + platform
                    + "' (looked for " + resource + " on the class path); it supports Linux with glibc on"
                    + " x86_64 and aarch64, or set -D" + PATH_PROPERTY + "=<path to " + LIBRARY + ">");
        }
        try {
            Path directory = privateCacheDirectory();
            Path target = directory.resolve(digest.substring(0, 24) + "-" + LIBRARY);
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                Path temporary = Files.createTempFile(directory, "extract-", ".so");
                try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
                    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                }
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                    Files.deleteIfExists(temporary); // another JVM extracted the same digest first
                }
            }
            return target.toString();
        } catch (IOException e) {
            throw (UnsatisfiedLinkError) new UnsatisfiedLinkError(
                    "cannot extract " + resource + ": " + e).initCause(e);
        }
    }

    private static String readDigest(String resource) {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            int space = text.indexOf(' ');
            return space > 0 ? text.substring(0, space) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A cache directory only we can write: a library another user could replace would run as us.
     * Tries the configured one, then the XDG cache, then a per-user folder in java.io.tmpdir.
     */
    private static Path privateCacheDirectory() throws IOException {
        String configured = System.getProperty(CACHE_PROPERTY);
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path[] candidates = {
            configured == null ? null : Path.of(configured),
            xdg == null || xdg.isEmpty() ? null : Path.of(xdg, "multiprocessing4j"),
            home == null || home.isEmpty() || "?".equals(home) ? null : Path.of(home, ".cache", "multiprocessing4j"),
            Path.of(System.getProperty("java.io.tmpdir"), "multiprocessing4j-" + System.getProperty("user.name")),
        };
        IOException last = null;
        for (Path candidate : candidates) {
            if (candidate == null) {
                continue;
            }
            try {
                return ensurePrivate(candidate);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no cache directory candidate");
    }

    private static Path ensurePrivate(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } catch (FileAlreadyExistsException raced) {
                // created concurrently: verified below like any existing directory
            }
        }
        if (Files.isSymbolicLink(directory) || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(directory + " is not a plain directory");
        }
        Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!owner.equals(self)) {
            throw new IOException(directory + " belongs to uid " + owner + ", not to us (uid " + self + ")");
        }
        if (!Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY_DIR)) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIR);
        }
        return directory;
    }
}
