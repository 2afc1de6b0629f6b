package io.multiprocessing4j.support;

import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.internal.process.ClassDataArchive;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own, started with the JDK's ProcessBuilder (so it is not one of our children and
 * has its own resource tracker), for tests where the process under test must exit, be killed, or
 * have its output read: it runs a main class of the tests with this JVM's class path. Its stdout
 * and stderr go to files; it may report facts as lines {@code KEY value} ({@link #report}) and
 * {@code READY} ({@link #ready()}) on its stdout, which the test reads with {@link #awaitReady()}
 * and {@link #fact}. Every wait is bounded; {@link #close()} always kills it.
 */
public final class SeparateJvm implements AutoCloseable {
    private static final Duration READY_BOUND = Duration.ofSeconds(60);
    private static final String READY = "READY";

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    /** A directory of our own to delete at close, or null if the test gave one. */
    private final Path ownDirectory;

    private SeparateJvm(Process process, Path stdout, Path stderr, Path ownDirectory) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.ownDirectory = ownDirectory;
    }

    /**
     * Starts {@code main} with {@code args}, after {@code prefix} (a wrapper such as taskset or
     * unshare) and with {@code jvmOptions}; its output goes to files in {@code directory}. The
     * start-method property of this JVM, if set, is passed on.
     */
    public static SeparateJvm start(Path directory, List<String> prefix, List<String> jvmOptions, Class<?> main,
                                    String... args) throws IOException {
        return launch(directory, null, prefix, jvmOptions, main, args);
    }

    /**
     * As {@link #start(Path, List, List, Class, String...)}, with {@code classPath} instead of this
     * JVM's: for a JVM that runs as another user, who cannot read the local Maven repository.
     */
    public static SeparateJvm startWithClassPath(Path directory, List<String> prefix, List<String> jvmOptions,
                                                 String classPath, Class<?> main, String... args) throws IOException {
        return launch(Path.of(System.getProperty("java.home"), "bin", "java"), directory, null, prefix, jvmOptions,
                classPath, main, args);
    }

    public static SeparateJvm start(Path directory, Class<?> main, String... args) throws IOException {
        return launch(directory, null, List.of(), List.of(), main, args);
    }

    /** As {@link #start(Path, List, List, Class, String...)}, with its output in a directory of its own. */
    public static SeparateJvm start(List<String> prefix, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException {
        Path own = Files.createTempDirectory("separate-jvm");
        return launch(own, own, prefix, jvmOptions, main, args);
    }

    public static SeparateJvm start(Class<?> main, String... args) throws IOException {
        return start(List.of(), List.of(), main, args);
    }

    /** As {@link #start(List, List, Class, String...)}, on another JDK's {@code java} (see {@link NewerJdk}). */
    public static SeparateJvm startOn(Path java, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException {
        return startOn(java, List.of(), jvmOptions, main, args);
    }

    /** As {@link #startOn(Path, List, Class, String...)}, after {@code prefix} (e.g. {@code env VAR=value}). */
    public static SeparateJvm startOn(Path java, List<String> prefix, List<String> jvmOptions, Class<?> main,
                                      String... args) throws IOException {
        Path own = Files.createTempDirectory("separate-jvm");
        return launch(java, own, own, prefix, jvmOptions, main, args);
    }

    private static SeparateJvm launch(Path directory, Path ownDirectory, List<String> prefix, List<String> jvmOptions,
                                      Class<?> main, String... args) throws IOException {
        return launch(Path.of(System.getProperty("java.home"), "bin", "java"), directory, ownDirectory, prefix,
                jvmOptions, main, args);
    }

    private static SeparateJvm launch(Path java, Path directory, Path ownDirectory, List<String> prefix,
                                      List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        return launch(java, directory, ownDirectory, prefix, jvmOptions, System.getProperty("java.class.path"), main,
                args);
    }

    private static SeparateJvm launch(Path java, Path directory, Path ownDirectory, List<String> prefix,
                                      List<String> jvmOptions, String classPath, Class<?> main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(java.toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        String startMethod = System.getProperty(ProcessContext.START_METHOD_PROPERTY);
        if (startMethod != null) {
            command.add("-D" + ProcessContext.START_METHOD_PROPERTY + "=" + startMethod);
        }
        // A separate JVM counts and kills its children: no training child for a class-data archive
        // among them (and none in the user's cache: the tests' own cache directory, if set).
        command.add("-D" + ClassDataArchive.ENABLED_PROPERTY + "=false");
        String cache = System.getProperty(ClassDataArchive.CACHE_DIR_PROPERTY);
        if (cache != null) {
            command.add("-D" + ClassDataArchive.CACHE_DIR_PROPERTY + "=" + cache);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(List.of(args));
        Path out = directory.resolve(main.getSimpleName() + ".out");
        Path err = directory.resolve(main.getSimpleName() + ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new SeparateJvm(process, out, err, ownDirectory);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits until it has said READY; false if it ended without saying so. Fails if it said
     * neither within a minute.
     */
    public boolean awaitReady() throws InterruptedException {
        return awaitReady(READY_BOUND);
    }

    /** As {@link #awaitReady()}, failing after {@code bound} (for work that boots several JVMs). */
    public boolean awaitReady(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            boolean ended = !process.isAlive(); // before reading: all it wrote is then in the file
            if (stdout().lines().anyMatch(READY::equals)) {
                return true;
            }
            if (ended) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(process.pid() + " did not say " + READY + " within " + bound
                        + "; stdout:\n" + stdout() + "\nstderr:\n" + stderr() + "\nits threads:\n" + threadDump());
            }
            Thread.sleep(10);
        }
    }

    /** A fact it reported ({@code KEY value} on its stdout), the last if several; null if none. */
    public String fact(String key) {
        Map<String, String> facts = new HashMap<>();
        for (String line : stdout().split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                facts.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return facts.get(key);
    }

    /** Waits for it to exit; returns its exit status, or fails (with its stderr) if it did not within the time. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("JVM " + process.pid() + " did not exit within " + seconds + " s; stderr:\n"
                    + stderr() + "\nits threads:\n" + threadDump());
        }
        return process.exitValue();
    }

    /**
     * Its threads' stacks, from the jcmd beside the java it runs (a wait that timed out shows
     * where it stands); a line saying why not if they could not be had within 30 s.
     */
    public String threadDump() {
        String java = process.info().command().orElse(null);
        if (java == null) {
            return "(no thread dump: its command is unknown)";
        }
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        try {
            Path dump = Files.createTempFile("separate-jvm-threads-", ".txt");
            try {
                Process printer = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
                if (!printer.waitFor(30, TimeUnit.SECONDS)) {
                    printer.destroyForcibly();
                    return "(no thread dump: jcmd did not answer within 30 s)";
                }
                return read(dump);
            } finally {
                Files.deleteIfExists(dump);
            }
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** SIGKILL, and wait (bounded) for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        if (ownDirectory != null) {
            try {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
                Files.deleteIfExists(ownDirectory);
            } catch (IOException e) {
                // a leftover temporary file is no reason to fail the test
            }
        }
    }

    /** In the separate JVM: reports a fact for the test to read. */
    public static void report(String key, Object value) {
        System.out.println(key + " " + value);
        System.out.flush();
    }

    /** In the separate JVM: says that what the test waits for is done. */
    public static void ready() {
        System.out.println(READY);
        System.out.flush();
    }
}
