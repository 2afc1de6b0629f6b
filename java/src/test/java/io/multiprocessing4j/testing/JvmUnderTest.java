package io.multiprocessing4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running a main class of the tests, started with ProcessBuilder (so it is not one of
 * our children and has its own resource tracker). It reports facts as lines {@code KEY value} on
 * stdout, and {@code READY} when it has done its work.
 */
public final class JvmUnderTest implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Map<String, String> facts = new HashMap<>();

    private JvmUnderTest(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code mainClass} with this JVM's class path, {@code jvmOptions} and {@code args}; {@code wrapper} goes first (e.g. unshare). */
    public static JvmUnderTest start(List<String> wrapper, Class<?> mainClass, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new JvmUnderTest(builder.start());
    }

    public static JvmUnderTest start(Class<?> mainClass, String... args) throws IOException {
        return start(List.of(), mainClass, List.of(), args);
    }

    /** Reads its lines until READY (or its end); returns whether READY came. */
    public boolean awaitReady() throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.equals("READY")) {
                return true;
            }
            int space = line.indexOf(' ');
            if (space > 0) {
                facts.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return false;
    }

    /** A fact it reported, or null. */
    public String fact(String key) {
        return facts.get(key);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** SIGKILL, and wait for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for its exit; returns the exit value, or throws if it does not end in time. */
    public int exitValue(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("JVM under test did not end within " + seconds + " s");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Writes a fact for the test to read. */
    public static void report(String key, Object value) {
        System.out.println(key + " " + value);
        System.out.flush();
    }

    public static void ready() {
        System.out.println("READY");
        System.out.flush();
    }
}
