package io.multiprocessing4j.internal.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the launcher needs of a context: the settings of a public {@code ProcessContext}, which
 * holds one and validated it. Kept apart so that the process machinery never names the public
 * type (the public package uses this one, not the other way round). A value: equal settings
 * start equal children and share warm spares.
 */
public final class LaunchSettings {
    /** How long a spare beyond the floor may idle by default (before DEFAULTS, which uses it). */
    public static final Duration DEFAULT_SPARE_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** A context's defaults: spawn, inherited JVM options, a 60 s boot timeout, one warm spare. */
    public static final LaunchSettings DEFAULTS =
            new LaunchSettings("spawn", List.of(), true, null, null, Duration.ofSeconds(60), 1);

    private final String startMethod;
    private final List<String> jvmOptions;
    private final boolean inheritJvmOptions;
    private final String javaExecutable;
    private final String classPath;
    private final Duration bootTimeout;
    private final int warmSpares;
    /** 0: the default ceiling, which memory and the task limit decide (see {@link #maxWarmSpares()}). */
    private final int maxWarmSpares;
    private final Duration spareIdleTimeout;

    /** As below, with the default ceiling of warm spares and idle timeout (30 s). */
    public LaunchSettings(String startMethod, List<String> jvmOptions, boolean inheritJvmOptions,
                          String javaExecutable, String classPath, Duration bootTimeout, int warmSpares) {
        this(startMethod, jvmOptions, inheritJvmOptions, javaExecutable, classPath, bootTimeout, warmSpares, 0,
                DEFAULT_SPARE_IDLE_TIMEOUT);
    }

    /**
     * {@code javaExecutable} and {@code classPath} null for this JVM's; {@code maxWarmSpares} 0 for
     * the default ceiling.
     */
    public LaunchSettings(String startMethod, List<String> jvmOptions, boolean inheritJvmOptions,
                          String javaExecutable, String classPath, Duration bootTimeout, int warmSpares,
                          int maxWarmSpares, Duration spareIdleTimeout) {
        this.startMethod = Objects.requireNonNull(startMethod, "startMethod");
        this.jvmOptions = List.copyOf(jvmOptions);
        this.inheritJvmOptions = inheritJvmOptions;
        this.javaExecutable = javaExecutable;
        this.classPath = classPath;
        this.bootTimeout = Objects.requireNonNull(bootTimeout, "bootTimeout");
        this.warmSpares = warmSpares;
        this.maxWarmSpares = maxWarmSpares;
        this.spareIdleTimeout = Objects.requireNonNull(spareIdleTimeout, "spareIdleTimeout");
    }

    /** The start method by its Python name. */
    public String startMethod() {
        return startMethod;
    }

    /** Whether children are handed to booted spares rather than spawned. */
    public boolean warm() {
        return startMethod.equals("warm");
    }

    public List<String> jvmOptions() {
        return jvmOptions;
    }

    public boolean inheritJvmOptions() {
        return inheritJvmOptions;
    }

    /** The {@code java} binary children run: the configured one, or this JVM's. */
    public String javaExecutable() {
        return javaExecutable != null ? javaExecutable
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path children get: the configured one, or this JVM's. */
    public String classPath() {
        return classPath != null ? classPath : System.getProperty("java.class.path", "");
    }

    public boolean hasCustomJavaExecutable() {
        return javaExecutable != null;
    }

    public boolean hasCustomClassPath() {
        return classPath != null;
    }

    public Duration bootTimeout() {
        return bootTimeout;
    }

    public int warmSpares() {
        return warmSpares;
    }

    /**
     * The most warm spares kept ready or booting: the configured ceiling, or by default what this
     * machine's or container's memory and task limit allow (at most 16), raised to the floor if
     * that is higher.
     */
    public int maxWarmSpares() {
        return maxWarmSpares != 0 ? maxWarmSpares
                : Math.max(Math.min(SpareMemory.defaultCeiling(), SpareTasks.defaultCeiling()), warmSpares);
    }

    /** The configured ceiling of warm spares, or 0 for the default one. */
    public int configuredMaxWarmSpares() {
        return maxWarmSpares;
    }

    /** How long a spare beyond {@link #warmSpares()} may wait unused before it is retired. */
    public Duration spareIdleTimeout() {
        return spareIdleTimeout;
    }

    /** These settings with other JVM options. */
    public LaunchSettings withJvmOptions(boolean inherit, List<String> options) {
        return new LaunchSettings(startMethod, options, inherit, javaExecutable, classPath, bootTimeout, warmSpares,
                maxWarmSpares, spareIdleTimeout);
    }

    /** These settings with {@code classPath} for children (see {@link ChildClassPath}). */
    public LaunchSettings withClassPath(String classPath) {
        return new LaunchSettings(startMethod, jvmOptions, inheritJvmOptions, javaExecutable, classPath, bootTimeout,
                warmSpares, maxWarmSpares, spareIdleTimeout);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof LaunchSettings)) {
            return false;
        }
        LaunchSettings that = (LaunchSettings) other;
        return startMethod.equals(that.startMethod) && jvmOptions.equals(that.jvmOptions)
                && inheritJvmOptions == that.inheritJvmOptions && Objects.equals(javaExecutable, that.javaExecutable)
                && Objects.equals(classPath, that.classPath) && bootTimeout.equals(that.bootTimeout)
                && warmSpares == that.warmSpares && maxWarmSpares == that.maxWarmSpares
                && spareIdleTimeout.equals(that.spareIdleTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startMethod, jvmOptions, inheritJvmOptions, javaExecutable, classPath, bootTimeout,
                warmSpares, maxWarmSpares, spareIdleTimeout);
    }
}
