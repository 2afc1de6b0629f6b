package io.multiprocessing4j.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM, started with the JDK's ProcessBuilder, that plays the parent in tests where the
 * parent itself must exit, be killed or have its stderr read. Runs {@code main} from the test
 * class path. Always destroyed by {@link #close()}.
 */
public final class DriverJvm implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private DriverJvm(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code main} with {@code args}; output goes to files in {@code directory}. */
    public static DriverJvm start(Path directory, List<String> prefix, List<String> jvmOptions, Class<?> main,
                                  String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String startMethod = System.getProperty(io.multiprocessing4j.ProcessContext.START_METHOD_PROPERTY);
        if (startMethod != null) {
            command.add("-D" + io.multiprocessing4j.ProcessContext.START_METHOD_PROPERTY + "=" + startMethod);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Path out = directory.resolve("driver.out");
        Path err = directory.resolve("driver.err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new DriverJvm(process, out, err);
    }

    public static DriverJvm start(Path directory, Class<?> main, String... args) throws IOException {
        return start(directory, List.of(), List.of(), main, args);
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the driver to exit; returns its exit status, or throws if it did not within the time. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("driver JVM did not exit within " + seconds + " s; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
