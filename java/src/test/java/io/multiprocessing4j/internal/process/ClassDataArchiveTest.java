package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.support.Posix;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive for child JVMs: built in the background, used by later starts, and never
 * able to break a start (a truncated or altered archive is replaced, not passed to a child). Each
 * test works in a cache directory of its own.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClassDataArchiveTest {
    private static final Duration BUILD_BOUND = Duration.ofSeconds(150);

    @TempDir
    Path cache;
    private String previousCacheDir;
    private String previousEnabled;
    private final LaunchSettings context = LaunchSettings.DEFAULTS;

    @BeforeEach
    void useOwnCache() {
        previousCacheDir = System.getProperty(ClassDataArchive.CACHE_DIR_PROPERTY);
        System.setProperty(ClassDataArchive.CACHE_DIR_PROPERTY, cache.toString());
        previousEnabled = System.getProperty(ClassDataArchive.ENABLED_PROPERTY);
        System.setProperty(ClassDataArchive.ENABLED_PROPERTY, "true"); // the build turns it off for other tests
        ClassDataArchive.forgetChecks();
    }

    @AfterEach
    void restoreCache() {
        if (previousCacheDir == null) {
            System.clearProperty(ClassDataArchive.CACHE_DIR_PROPERTY);
        } else {
            System.setProperty(ClassDataArchive.CACHE_DIR_PROPERTY, previousCacheDir);
        }
        if (previousEnabled == null) {
            System.clearProperty(ClassDataArchive.ENABLED_PROPERTY);
        } else {
            System.setProperty(ClassDataArchive.ENABLED_PROPERTY, previousEnabled);
        }
        ClassDataArchive.forgetChecks();
    }

    /** Waits for the racing builders of other JVMs too; for a racer of its own. */
    public static final class Racer {
        public static void main(String[] args) throws Exception {
            System.setProperty(ClassDataArchive.CACHE_DIR_PROPERTY, args[0]);
            System.setProperty(ClassDataArchive.ENABLED_PROPERTY, "true"); // SeparateJvm turns it off
            List<String> argv = JvmCommandLine.childBase(LaunchSettings.DEFAULTS);
            SeparateJvm.report("ARCHIVE", ClassDataArchive.archiveFor(argv));
            SeparateJvm.ready();
            boolean ready = ClassDataArchive.awaitReady(argv, BUILD_BOUND);
            SeparateJvm.report("INTACT", ready && ArchiveFiles.of(Path.of(args[0]),
                    ArchiveKey.of(argv)).installedSize() > 0);
            System.exit(ready ? 0 : 3);
        }
    }

    @Test
    void aBuiltArchiveIsPassedToChildrenAndTheyRun() throws Exception {
        assertFalse(usesArchive(), "no archive before it is built");
        assertTrue(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), BUILD_BOUND), "built");
        assertTrue(Files.size(archive()) > 0);
        assertTrue(usesArchive(), "a start after the build maps it: " + childArgv());
        assertEquals(0, startAndJoin());
    }

    /**
     * A child logs its JVM's warnings to stderr, set up by -Xlog:disable and a new output: the
     * archive's options, which quiet its warnings on both outputs (a mismatch is a silent miss),
     * must come after that set-up, which would otherwise clear them.
     */
    @Test
    void theArchivesOptionsQuietItsWarningsAfterTheChildsLoggingIsSetUp() throws Exception {
        assertTrue(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), BUILD_BOUND), "built");
        List<String> argv = childArgv();
        assertTrue(usesArchive(), "maps it: " + argv);
        int setUp = argv.indexOf("-Xlog:disable");
        assertTrue(setUp > 0, "no logging set-up: " + argv);
        for (String quiet : List.of("-Xlog:cds*=off", "-Xlog:cds*=off:stderr")) {
            assertTrue(argv.indexOf(quiet) > setUp, quiet + " after " + argv.get(setUp) + ": " + argv);
        }
    }

    @Test
    void aTruncatedArchiveIsReplacedAndStartsStillSucceed() throws Exception {
        assertTrue(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), BUILD_BOUND));
        long size = Files.size(archive());
        try (FileChannel file = FileChannel.open(writable(archive()), StandardOpenOption.WRITE)) {
            file.truncate(size / 2);
        }
        ClassDataArchive.forgetChecks(); // as a new parent JVM would find it
        assertFalse(usesArchive(), "a truncated archive is not passed to a child");
        assertEquals(0, startAndJoin());
        assertTrue(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), BUILD_BOUND), "rebuilt");
        assertTrue(intact(), "the replacement matches its manifest");
        assertEquals(0, startAndJoin());
    }

    @Test
    void aTruncatedArchiveFoundAfterTheCheckIsNotPassedOn() throws Exception {
        assertTrue(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), BUILD_BOUND));
        assertTrue(usesArchive());
        try (FileChannel file = FileChannel.open(writable(archive()), StandardOpenOption.WRITE)) {
            file.truncate(4096);
        }
        assertFalse(usesArchive(), "the size no longer matches what was checked");
        assertEquals(0, startAndJoin());
        assertTrue(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), BUILD_BOUND), "rebuilt");
        assertTrue(intact());
    }

    @Test
    void aGarbageArchiveIsReplacedAndStartsStillSucceed() throws Exception {
        assertTrue(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), BUILD_BOUND));
        byte[] garbage = new byte[(int) Files.size(archive())];
        new Random(15).nextBytes(garbage);
        Files.write(writable(archive()), garbage); // same size: only the checksum tells
        ClassDataArchive.forgetChecks();
        assertFalse(usesArchive());
        assertEquals(0, startAndJoin());
        assertTrue(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), BUILD_BOUND), "rebuilt");
        assertTrue(intact());
        assertFalse(java.util.Arrays.equals(garbage, Files.readAllBytes(archive())));
    }

    @Test
    void twoJvmsRacingToBuildEndWithOneValidArchive() throws Exception {
        String archive;
        try (SeparateJvm first = SeparateJvm.start(Racer.class, cache.toString());
             SeparateJvm second = SeparateJvm.start(Racer.class, cache.toString())) {
            assertEquals(0, first.awaitExit(BUILD_BOUND.toSeconds() + 30), first.stderr());
            assertEquals(0, second.awaitExit(BUILD_BOUND.toSeconds() + 30), second.stderr());
            archive = first.fact("ARCHIVE");
            assertEquals(archive, second.fact("ARCHIVE"), "both build the same key");
            assertEquals("true", first.fact("INTACT"), first.stdout());
            assertEquals("true", second.fact("INTACT"), second.stdout());
        }
        List<String> names;
        try (Stream<Path> files = Files.list(cache)) {
            names = files.map(file -> file.getFileName().toString()).filter(file -> file.startsWith("child-"))
                    .sorted().collect(Collectors.toList());
        }
        String name = Path.of(archive).getFileName().toString();
        assertEquals(List.of(name, name + ".sum"), names, "one archive, its manifest, no temporary file");
    }

    /** Starts a child, which sets off an archive build, then waits to be killed. */
    public static final class BuilderOwner {
        public static void main(String[] args) throws Exception {
            System.setProperty(ClassDataArchive.CACHE_DIR_PROPERTY, args[0]);
            System.setProperty(ClassDataArchive.ENABLED_PROPERTY, "true"); // SeparateJvm turns it off
            ChildProcess child = ProcessContext.builder().build().newProcess(ClassDataArchiveTest::nothing);
            child.start();
            child.join();
            SeparateJvm.ready();
            Thread.sleep(120_000);
        }
    }

    /**
     * Both steps of a build are processes of ours: the training child and the JVM that writes the
     * archive. Caught in the second (the first is the same spawn the children get), a SIGKILLed
     * parent takes it along.
     */
    @Test
    void anArchiveBuildCutShortByItsParentsDeathLeavesNoProcess() throws Exception {
        String creation = ArchiveKind.forCommandLine(JvmCommandLine.childBase(context)) == ArchiveKind.AOT_CACHE
                ? "-XX:AOTMode=create" : "-Xshare:dump";
        try (SeparateJvm owner = SeparateJvm.start(BuilderOwner.class, cache.toString())) {
            assertTrue(owner.awaitReady(), owner.stderr());
            long step = -1;
            long deadline = System.nanoTime() + BUILD_BOUND.toNanos();
            while (step < 0 && System.nanoTime() < deadline) {
                step = ProcessTable.childrenOf(owner.pid()).stream()
                        .filter(pid -> commandLine(pid).contains(creation)).findFirst().orElse(-1L);
                Thread.sleep(2);
            }
            assertTrue(step > 0, "no " + creation + " step seen");
            owner.kill();
            boolean gone = ProcessTable.awaitGone(step, Duration.ofSeconds(1));
            if (!gone) {
                Posix.kill(step, Posix.SIGKILL);
            }
            assertTrue(gone, "the archive's creation step outlived its parent by a second");
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException gone) {
            return "";
        }
    }

    @Test
    void aChangedClassPathGivesAnotherArchive() throws IOException {
        Path jar = Files.write(cache.resolve("extra.jar"), new byte[] {1});
        LaunchSettings other = withClassPath(context.classPath() + ":" + jar);
        Path base = ClassDataArchive.archiveFor(JvmCommandLine.childBase(context));
        Path extended = ClassDataArchive.archiveFor(JvmCommandLine.childBase(other));
        assertNotEquals(base, extended);
        Files.write(jar, new byte[] {1, 2}); // the same path, rebuilt
        ClassDataArchive.forgetChecks();
        assertNotEquals(extended, ClassDataArchive.archiveFor(JvmCommandLine.childBase(other)));
        assertEquals(base, ClassDataArchive.archiveFor(JvmCommandLine.childBase(context)), "stable otherwise");
    }

    @Test
    void turnedOffMeansNoArchive() throws Exception {
        System.setProperty(ClassDataArchive.ENABLED_PROPERTY, "false");
        try {
            assertFalse(ClassDataArchive.awaitReady(JvmCommandLine.childBase(context), Duration.ofSeconds(1)));
            assertFalse(usesArchive());
        } finally {
            System.setProperty(ClassDataArchive.ENABLED_PROPERTY, "true");
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(0, files.filter(file -> file.getFileName().toString().startsWith("child-")).count(),
                    "nothing built");
        }
    }

    @Test
    void aUsersOwnSharingOptionsWin() throws Exception {
        LaunchSettings own = context.withJvmOptions(true, List.of("-Xshare:off"));
        assertFalse(ClassDataArchive.awaitReady(JvmCommandLine.childBase(own), Duration.ofSeconds(1)));
        assertFalse(JvmCommandLine.build(own, JvmCommandLine.Mode.COMPACT_TARGET, -1).stream()
                .anyMatch(option -> option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:AOTCache")));
    }

    /** JDK 25 on: a class path of jars gets the AOT cache (a directory there gets the static archive). */
    @Test
    void aJarClassPathGetsAnAotCacheOnJdk25() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 25, "JDK 25 or newer");
        String jars = jarredClassPath();
        LaunchSettings jarred = withClassPath(jars);
        List<String> argv = JvmCommandLine.childBase(jarred);
        assertEquals(ArchiveKind.AOT_CACHE, ArchiveKind.forCommandLine(argv));
        assertTrue(ClassDataArchive.awaitReady(argv, BUILD_BOUND), "built");
        assertTrue(ClassDataArchive.archiveFor(argv).toString().endsWith(".aot"));
        assertTrue(JvmCommandLine.build(jarred, JvmCommandLine.Mode.COMPACT_TARGET, -1)
                .contains("-XX:AOTCache=" + ClassDataArchive.archiveFor(argv)));
        ChildProcess child = ProcessContext.builder().classPath(jars).build().newProcess(ClassDataArchiveTest::nothing);
        child.start();
        child.join(Duration.ofSeconds(60));
        assertEquals(0, child.exitCode().orElse(-999));
        child.close();
    }

    /**
     * This JVM's class path with its directories (the library's and the tests' classes) put into
     * one jar ahead of its jars: a class path an archive can take in whole.
     */
    private String jarredClassPath() throws IOException {
        Path jar = cache.resolve("classes.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : context.classPath().split(java.io.File.pathSeparator)) {
                Path directory = Path.of(entry);
                if (!Files.isDirectory(directory)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        out.putNextEntry(new java.util.jar.JarEntry(directory.relativize(file).toString()));
                        out.write(Files.readAllBytes(file));
                        out.closeEntry();
                    }
                }
            }
        }
        return Stream.concat(Stream.of(jar.toString()), Stream.of(context.classPath().split(java.io.File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar"))).collect(Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * The archive is built after the first start of its command line, and its training child
     * loads that start's target classes: a child whose target is in the archive need not open
     * the jar it came from (a millisecond or two; some 10 ms for a jar of 12,000 entries).
     */
    @Test
    void anArchiveBuiltAfterAStartHoldsThatStartsTargetClass() throws Exception {
        String jars = jarredClassPath();
        LaunchSettings jarred = withClassPath(jars);
        ChildProcess first = ProcessContext.builder().classPath(jars).build().newProcess(ArchivedTarget::run);
        first.start(); // finds no archive: it is built now, knowing this target
        assertTrue(first.join(Duration.ofSeconds(60)));
        assertEquals(0, first.exitCode().orElse(-999));
        first.close();
        List<String> argv = JvmCommandLine.childBase(jarred);
        assertTrue(ClassDataArchive.awaitReady(argv, BUILD_BOUND), "built");

        // A JVM with a child's command line and the archive, whose main only loads the target's class.
        List<String> probe = new java.util.ArrayList<>(JvmCommandLine.build(jarred, JvmCommandLine.Mode.COMPACT_TARGET,
                -1));
        assertTrue(probe.stream().anyMatch(option -> option.contains(ClassDataArchive.archiveFor(argv).toString())),
                "a start after the build maps the archive: " + probe);
        probe.removeIf(option -> option.startsWith("-Xlog"));
        probe.set(probe.size() - 1, LoadOnly.class.getName());
        probe.add(1, "-Xlog:class+load=info");
        probe.add(ArchivedTarget.class.getName());
        Process loader = new ProcessBuilder(probe).redirectErrorStream(true).start();
        String output = new String(loader.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(loader.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, loader.exitValue(), output);
        String loaded = output.lines().filter(line -> line.contains(" " + ArchivedTarget.class.getName() + " "))
                .findFirst().orElse("(not loaded)");
        assertTrue(loaded.contains("shared objects file"), "the target's class comes from the archive: " + loaded);
    }

    /** The target of {@link #anArchiveBuiltAfterAStartHoldsThatStartsTargetClass}. */
    static final class ArchivedTarget {
        static void run() {
            // its class is what matters
        }
    }

    /** Loads (without initializing) the class its argument names, and exits. */
    public static final class LoadOnly {
        public static void main(String[] args) throws ClassNotFoundException {
            Class.forName(args[0], false, LoadOnly.class.getClassLoader());
        }
    }

    /** The JDK writes archives read-only: made writable to damage them (root would not need it). */
    private static Path writable(Path file) {
        assertTrue(file.toFile().setWritable(true, true), "cannot make " + file + " writable");
        return file;
    }

    private Path archive() {
        return ClassDataArchive.archiveFor(JvmCommandLine.childBase(context));
    }

    private boolean intact() throws Exception {
        return ArchiveFiles.of(cache, ArchiveKey.of(JvmCommandLine.childBase(context)))
                .installedSize() == Files.size(archive());
    }

    private List<String> childArgv() {
        return JvmCommandLine.build(context, JvmCommandLine.Mode.COMPACT_TARGET, -1);
    }

    private boolean usesArchive() {
        String option = (ArchiveKind.forCommandLine(JvmCommandLine.childBase(context)) == ArchiveKind.AOT_CACHE ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=")
                + archive();
        return childArgv().contains(option);
    }

    private int startAndJoin() throws InterruptedException {
        // the public context whose settings are DEFAULTS
        ChildProcess child = ProcessContext.builder().build().newProcess(ClassDataArchiveTest::nothing);
        child.start();
        child.join(Duration.ofSeconds(60));
        int code = child.exitCode().orElse(-999);
        child.close();
        return code;
    }

    private static void nothing() {
    }

    private static LaunchSettings withClassPath(String classPath) {
        LaunchSettings d = LaunchSettings.DEFAULTS;
        return new LaunchSettings(d.startMethod(), d.jvmOptions(), d.inheritJvmOptions(), null, classPath,
                d.bootTimeout(), d.warmSpares());
    }
}
