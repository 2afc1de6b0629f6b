package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.internal.CacheDirectories;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, extracts and loads {@code libmultiprocessing4j.so}.
 *
 * <p>The library travels inside the jar under {@code META-INF/native/linux-<arch>/}. It is
 * extracted once per content digest into a private (0700, owned by us) cache directory
 * ({@link CacheDirectories}), so that later JVMs, and every child JVM, load it without copying or
 * hashing anything. A parent hands its child the path it loaded in {@value #PATH_PROPERTY}.
 *
 * <p>Where the cache directory cannot be used (read-only, or on a {@code noexec} mount, where
 * the dynamic linker cannot map the code), the library goes to a private directory in
 * {@code java.io.tmpdir}, and where that fails too, into anonymous memory: a {@code memfd}
 * (created through the JDK's {@code java.lang.foreign} on JDK 22 and newer, since nothing else in
 * Java can call {@code memfd_create}), else a file in {@code /dev/shm} deleted as soon as it is
 * open; either is loaded as {@code /proc/<pid>/fd/<n>} and nothing stays on disk. Every failure is
 * remembered, and if all fail, one {@link UnsatisfiedLinkError} lists them with the glibc and
 * kernel found and the properties that choose the location. Each later {@link #load()} throws the
 * same error again.
 *
 * <p>The binding classes have no static initializer: each of their methods calls {@link #load()}
 * (a volatile read once loaded) before its native method. A static initializer that throws
 * would leave its class unusable, so that every later call would see a
 * {@code NoClassDefFoundError} instead of the reason; this way every call reports the reason.
 */
public final class NativeLibrary {
    /** System property naming an already extracted library file to load as is. */
    public static final String PATH_PROPERTY = "multiprocessing4j.library";
    /** System property overriding the extraction cache directory. */
    public static final String CACHE_PROPERTY = CacheDirectories.PROPERTY;

    private static final String LIBRARY = "libmultiprocessing4j.so";
    private static final int MFD_CLOEXEC = 1;

    private static volatile String loadedPath;
    /** Why loading failed, once it has; every later load() reports it again. Guarded by the class. */
    private static String failure;
    private static Throwable failureCause;
    /** Keeps the anonymous copy's fd open for the life of the JVM: children load it through it too. */
    private static FileInputStream anonymousCopy;

    private NativeLibrary() {
    }

    /**
     * Loads the library unless already loaded; throws {@link UnsatisfiedLinkError} with every
     * reason it could not, the same on every call once it has failed.
     */
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
        if (failure == null) {
            try {
                loadedPath = locateAndLoad();
            } catch (Failure f) {
                failure = f.getMessage();
                failureCause = f.getCause();
            }
        }
        if (loadedPath == null) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError(failure);
            if (failureCause != null) {
                error.initCause(failureCause);
            }
            throw error;
        }
    }

    /** Loading failed everywhere; the message says where and why. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One place tried and why it failed. */
    private static final class Attempts {
        final List<String> lines = new ArrayList<>();
        Throwable first;

        void add(String where, Throwable why) {
            lines.add(where + ": " + describe(why));
            if (first == null) {
                first = why;
            }
        }
    }

    private static String locateAndLoad() throws Failure {
        Attempts attempts = new Attempts();
        String given = System.getProperty(PATH_PROPERTY);
        if (given != null && !given.isEmpty()) {
            try {
                System.load(given);
                return given;
            } catch (UnsatisfiedLinkError | SecurityException e) {
                attempts.add("-D" + PATH_PROPERTY + "=" + given, e); // then extract a copy of our own
            }
        }
        String platform = platform();
        String resource = "/META-INF/native/" + platform + "/" + LIBRARY;
        String digest = readDigest(resource + ".sha256");
        if (digest == null || NativeLibrary.class.getResource(resource) == null) {
            throw new Failure("multiprocessing4j has no native library for platform '" + platform
                    + "' (looked for " + resource + " on the class path); it supports Linux with glibc on"
                    + " x86_64 and aarch64, or set -D" + PATH_PROPERTY + "=<path to " + LIBRARY + ">"
                    + environment() + tried(attempts), attempts.first);
        }
        String fileName = digest.substring(0, 24) + "-" + LIBRARY;
        List<Path> directories = CacheDirectories.candidates();
        for (int i = 0; i < directories.size(); i++) {
            Path directory = directories.get(i);
            try {
                Path target = extractInto(CacheDirectories.ensurePrivate(directory), resource, fileName);
                System.load(target.toString());
                return loaded(target.toString(), attempts);
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                attempts.add((i < directories.size() - 1 ? "cache directory " : "java.io.tmpdir: ") + directory, e);
            }
        }
        try {
            return loaded(loadAnonymousMemfd(resource), attempts);
        } catch (Exception | UnsatisfiedLinkError e) {
            attempts.add("anonymous memory (memfd_create)", e);
        }
        try {
            return loaded(loadDeletedFile(Path.of("/dev/shm"), resource), attempts);
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            attempts.add("a deleted file in /dev/shm", e);
        }
        throw new Failure("multiprocessing4j cannot load its native library (" + platform + ")" + environment()
                + tried(attempts) + "\nChoose where it goes with -D" + CACHE_PROPERTY + "=<a directory of yours, "
                + "writable and not mounted noexec> (or -Djava.io.tmpdir=...), or extract it yourself from the "
                + "jar's " + resource + " and pass -D" + PATH_PROPERTY + "=<that file>.", attempts.first);
    }

    /** Says on DEBUG where the library was loaded from, if not from the first place tried. */
    private static String loaded(String path, Attempts attempts) {
        if (attempts.first != null) {
            System.getLogger(NativeLibrary.class.getName()).log(System.Logger.Level.DEBUG,
                    () -> "native library loaded from " + path + tried(attempts));
        }
        return path;
    }

    private static String tried(Attempts attempts) {
        StringBuilder text = new StringBuilder();
        if (!attempts.lines.isEmpty()) {
            text.append("\nTried, in order:");
            for (String line : attempts.lines) {
                text.append("\n  - ").append(line);
            }
        }
        return text.toString();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
        int colon = message.indexOf(": ");
        if (colon > 0 && message.startsWith(message.substring(0, colon + 2), colon + 2)) {
            message = message.substring(colon + 2); // the JDK names the file twice: "f: f: failed to map ..."
        }
        if (e instanceof IOException && !(e instanceof java.nio.file.FileSystemException)) {
            message = e.getClass().getSimpleName() + ": " + message;
        } else if (e instanceof java.nio.file.FileSystemException) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            message = e.getClass().getSimpleName() + " " + f.getFile()
                    + (f.getReason() != null ? " (" + f.getReason() + ")" : "");
        }
        if (message.contains("failed to map segment") || message.contains("Operation not permitted")) {
            message += " (a noexec mount? the dynamic linker cannot map code from one)";
        }
        return message;
    }

    /** " on <libc> and Linux <kernel>": what the user's machine offers, for the error message. */
    static String environment() {
        return " on " + libc() + " and Linux " + System.getProperty("os.version", "?")
                + " (needs glibc 2.17 or newer, Linux 5.4 or newer, x86_64 or aarch64)";
    }

    /** The C library this JVM runs on, as its mapped file tells: "glibc 2.36", "musl libc", ... */
    static String libc() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String file = line.substring(slash);
                String name = Path.of(file).getFileName().toString();
                if (name.startsWith("ld-musl") || name.startsWith("libc.musl")) {
                    return "musl libc (" + file + "; multiprocessing4j needs glibc)";
                }
                if (name.equals("libc.so.6") || name.matches("libc-[0-9.]+\\.so")) {
                    return "glibc " + glibcVersion(Path.of(file)) + " (" + file + ")";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not worth failing the error message for
        }
        return "an unknown C library";
    }

    private static String glibcVersion(Path libc) throws IOException {
        String name = libc.getFileName().toString();
        Matcher inName = Pattern.compile("libc-([0-9.]+)\\.so").matcher(name);
        if (inName.matches()) {
            return inName.group(1);
        }
        String text = new String(Files.readAllBytes(libc), StandardCharsets.ISO_8859_1);
        Matcher release = Pattern.compile("release version ([0-9]+\\.[0-9]+)").matcher(text);
        return release.find() ? release.group(1) : "(version unknown)";
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

    /** Extracts the library into directory under fileName unless there already; returns the file. */
    private static Path extractInto(Path directory, String resource, String fileName) throws IOException {
        Path target = directory.resolve(fileName);
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            Path temporary = Files.createTempFile(directory, "extract-", ".so");
            try {
                try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
                    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                }
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                    // another JVM extracted the same digest first
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        return target;
    }

    /**
     * Copies the library into a memfd made with memfd_create through java.lang.foreign (JDK 22+,
     * found reflectively: this code compiles for Java 17) and loads it from there.
     */
    private static String loadAnonymousMemfd(String resource) throws Exception {
        if (Runtime.version().feature() < 22) {
            throw new UnsupportedOperationException("calling memfd_create without our own library needs JDK 22 or "
                    + "newer (java.lang.foreign); this is JDK " + Runtime.version().feature());
        }
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
        Class<?> allocatorClass = Class.forName("java.lang.foreign.SegmentAllocator");
        Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
        Optional<?> symbol = (Optional<?>) lookupClass.getMethod("find", String.class).invoke(lookup, "memfd_create");
        if (symbol.isEmpty()) {
            throw new UnsupportedOperationException("this C library has no memfd_create (glibc 2.27 added it)");
        }
        Object arguments = Array.newInstance(layoutClass, 2);
        Array.set(arguments, 0, valueLayout.getField("ADDRESS").get(null));
        Array.set(arguments, 1, valueLayout.getField("JAVA_INT").get(null));
        Object descriptor = descriptorClass.getMethod("of", layoutClass, arguments.getClass())
                .invoke(null, valueLayout.getField("JAVA_INT").get(null), arguments);
        Method downcall = linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass, Array.newInstance(optionClass, 0).getClass());
        MethodHandle memfdCreate = (MethodHandle) downcall.invoke(linker, symbol.get(), descriptor,
                Array.newInstance(optionClass, 0));
        int fd;
        try (AutoCloseable arena = (AutoCloseable) arenaClass.getMethod("ofConfined").invoke(null)) {
            Object name = allocatorClass.getMethod("allocateFrom", String.class).invoke(arena, "multiprocessing4j");
            try {
                fd = (int) memfdCreate.invokeWithArguments(name, MFD_CLOEXEC);
            } catch (Throwable t) {
                throw new IOException("memfd_create failed: " + t, t);
            }
        }
        if (fd < 0) {
            throw new IOException("memfd_create failed");
        }
        String path = "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd;
        try (OutputStream out = new FileOutputStream(path); InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            in.transferTo(out);
        }
        anonymousCopy = new FileInputStream(path); // the memfd itself stays open: we never close fd
        System.load(path);
        return path;
    }

    /**
     * Copies the library into a private file in directory, opens it, deletes it and loads it
     * through the open fd: nothing stays on disk, even if the JVM is killed.
     */
    private static String loadDeletedFile(Path directory, String resource) throws IOException {
        Path file = Files.createTempFile(directory, "multiprocessing4j-", ".so",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        FileInputStream open;
        String fdPath = null;
        try {
            try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            open = new FileInputStream(file.toFile());
            try (var fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    try {
                        if (Files.readSymbolicLink(fd).equals(file)) {
                            fdPath = "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd.getFileName();
                        }
                    } catch (IOException gone) {
                        // the directory stream's own fd
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        if (fdPath == null) {
            open.close();
            throw new IOException("cannot find the fd of " + file + " in /proc/self/fd");
        }
        try {
            System.load(fdPath);
        } catch (UnsatisfiedLinkError e) {
            open.close();
            throw e;
        }
        anonymousCopy = open;
        return fdPath;
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
}
