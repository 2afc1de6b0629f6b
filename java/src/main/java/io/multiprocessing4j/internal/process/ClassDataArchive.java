package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.CacheDirectories;
import io.multiprocessing4j.internal.threads.LibraryThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A class-data-sharing archive for child JVMs: the classes a child loads before its target runs,
 * parsed, verified and laid out once, then mapped by every child instead of loaded again. It
 * takes a good part of a JVM's boot off every {@code spawn} start (and off every spare's boot).
 *
 * <p>One archive per child command line, keyed by the JVM build, the JVM options and the class
 * path ({@link ArchiveKey}), in the first private, writable directory of {@link CacheDirectories}
 * (the per-user cache, else a folder of ours in {@code java.io.tmpdir}). The first start of
 * a command line finds none and goes without: the archive is built in the background by a
 * training child ({@link ClassDataArchiveBuilder}), and later starts use it. The training child
 * also loads the classes the targets of this JVM's starts so far needed (the first start's, at
 * least): a child whose target's classes come from the archive need not open the jar they are in,
 * which costs a small jar a millisecond or two and one of 12,000 entries some 10 ms. The archive
 * stays as built (later targets' classes come from their jars) until its key changes. An archive that
 * is missing, truncated or altered is never passed to a child (a truncated one would crash it);
 * it is deleted and built again.
 *
 * <p>Which archive ({@link ArchiveKind}): from JDK 25 on, for a class path of jars, the AOT cache
 * (classes loaded and linked, plus method profiles); otherwise a static AppCDS archive of the
 * classes the training child loaded. Neither {@code -XX:+AutoCreateSharedArchive} (JDK 19+) nor
 * a dynamic archive dumped by a real child: the child would dump as it exits, which delays its
 * join, racing children would write the same file, and both refuse a directory on the class path.
 *
 * <p>Left out: children of a {@code java} binary other than this JVM's (their build is unknown
 * here), and command lines that already carry class-data-sharing options of their own. Turned
 * off with {@code -D}{@value #ENABLED_PROPERTY}{@code =false}.
 */
public final class ClassDataArchive {
    /** System property: {@code false} turns child archives off. */
    public static final String ENABLED_PROPERTY = "multiprocessing4j.classDataArchive";
    /** System property: the directory for archives, instead of the per-user cache. */
    public static final String CACHE_DIR_PROPERTY = CacheDirectories.PROPERTY; // one cache for both

    private static final System.Logger LOG = System.getLogger(ClassDataArchive.class.getName());
    private static final Map<ArchiveKey, Entry> ENTRIES = new ConcurrentHashMap<>();
    private static final ExecutorService BUILDS = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = LibraryThreads.daemon("mp4j-class-data-archive", runnable);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });

    private ClassDataArchive() {
    }

    /** What this JVM knows of one key's archive. */
    private static final class Entry {
        final ArchiveKey key;
        final CompletableFuture<Boolean> ready = new CompletableFuture<>(); // true: installed and checked
        /** Set in the background before {@link #ready} completes: finding the directory costs file system calls. */
        volatile ArchiveFiles files;
        volatile long size = -1;

        Entry(ArchiveKey key) {
            this.key = key;
        }
    }

    /**
     * Adds the archive's options to {@code argv} (a child's command line up to and including its
     * main class, without arguments), right after the {@code java} binary, when an archive for it
     * is installed and intact. Otherwise leaves it as it is, and has the archive built if none is
     * being built yet. Never fails: a start must not depend on the archive.
     */
    static void addTo(List<String> argv) {
        try {
            if (!applies(argv)) {
                return;
            }
            ArchiveKey key = ArchiveKey.of(argv);
            ArchiveKind kind = key.kind;
            Entry entry = ENTRIES.computeIfAbsent(key, ClassDataArchive::startChecking);
            if (!entry.ready.isDone() || !entry.ready.getNow(false)) {
                return;
            }
            // Checked once in this JVM; a file changed since (deleted, replaced) must not reach a child.
            long size;
            try {
                size = Files.size(entry.files.archive); // one stat per start
            } catch (java.io.IOException gone) {
                size = -1;
            }
            if (size != entry.size) {
                ENTRIES.remove(key, entry); // the next start checks the files again
                return;
            }
            argv.addAll(JvmCommandLine.afterStartUpOptions(argv), kind.useOptions(entry.files.archive));
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "a child starts without a class-data archive", e);
        }
    }

    /**
     * Waits until the archive for children of this command line is installed (building it if
     * needed); true if it is, false if it cannot be (turned off, not applicable, build failed).
     * For benchmarks and tests; starts never wait.
     */
    public static boolean awaitReady(List<String> argv, Duration timeout) throws InterruptedException {
        if (!applies(argv)) {
            return false;
        }
        Entry entry = ENTRIES.computeIfAbsent(ArchiveKey.of(argv), ClassDataArchive::startChecking);
        try {
            return entry.ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    /** The archive file children of this command line use (whether or not it exists yet). For tests. */
    public static Path archiveFor(List<String> argv) {
        try {
            return ArchiveFiles.of(CacheDirectories.firstWritable(new ArrayList<>()), ArchiveKey.of(argv)).archive;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Forgets what this JVM has checked and hashed, so that the next start looks at the files again. For tests. */
    public static void forgetChecks() {
        ENTRIES.clear();
        ArchiveKey.forgetKnown();
    }

    private static Entry startChecking(ArchiveKey key) {
        Entry entry = new Entry(key);
        try {
            BUILDS.execute(() -> checkOrBuild(entry));
        } catch (RuntimeException e) {
            entry.ready.complete(false);
        }
        return entry;
    }

    /** In the background: use the installed archive if intact, else (re)build it. */
    private static void checkOrBuild(Entry entry) {
        try {
            List<String> passedOver = new ArrayList<>();
            Path directory;
            try {
                directory = CacheDirectories.firstWritable(passedOver);
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "no directory for class-data archives: " + passedOver);
                entry.ready.complete(false);
                return;
            }
            if (!passedOver.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "class-data archives go to " + directory + "; passed over: "
                        + passedOver);
            }
            entry.files = ArchiveFiles.of(directory, entry.key);
            long size = entry.files.installedSize();
            if (size < 0) {
                ClassDataArchiveBuilder.build(entry.key, entry.files, SparePreload.inUse());
                size = entry.files.installedSize();
            }
            entry.size = size;
            entry.ready.complete(size >= 0);
            if (size < 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "no class-data archive for children in " + entry.files.archive);
            }
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot build a class-data archive for children", e);
            entry.ready.complete(false);
        }
    }

    /** Turned on, this JVM's java binary, no sharing options of the user's. */
    private static boolean applies(List<String> argv) {
        return enabled() && isThisJvmsJava(argv.get(0)) && !carriesSharingOptions(argv);
    }

    private static boolean isThisJvmsJava(String executable) {
        Path ours = Path.of(System.getProperty("java.home"), "bin", "java");
        if (executable.equals(ours.toString())) {
            return true;
        }
        try {
            return Files.isSameFile(Path.of(executable), ours);
        } catch (Exception e) {
            return false;
        }
    }

    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());
    }

    /** A user's own sharing options win: ours would contradict them. */
    static boolean carriesSharingOptions(List<String> argv) {
        for (String option : argv) {
            if (option.startsWith("-Xshare") || option.startsWith("-XX:SharedArchiveFile")
                    || option.startsWith("-XX:ArchiveClassesAt") || option.contains("AutoCreateSharedArchive")
                    || option.startsWith("-XX:AOT") || option.contains("UseSharedSpaces")
                    || option.startsWith("-XX:SharedClassListFile")) {
                return true;
            }
        }
        return false;
    }
}
