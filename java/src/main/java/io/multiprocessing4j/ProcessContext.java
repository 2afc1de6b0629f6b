package io.multiprocessing4j;

import io.multiprocessing4j.internal.process.DefaultContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * How child processes are started: Python's context ({@code multiprocessing.get_context()}),
 * with the JVM settings a child JVM needs. Immutable; build one with {@link #builder()}.
 *
 * <p>A child JVM runs the parent's {@code java} binary with the parent's class path (and module
 * path), plus:
 * <ul>
 *   <li>the parent's assertion switches, {@code --add-opens/--add-exports/--add-reads},
 *       {@code --enable-preview}, {@code --enable-native-access} (from JDK 22 on: before, it concerns
 *       only the incubating foreign API and costs every boot a few ms) and {@code -D} system properties,
 *       unless {@link Builder#inheritJvmOptions(boolean) inheritJvmOptions(false)} (never agents,
 *       debuggers or {@code -X}/{@code -XX} flags: log files and ports would clash);</li>
 *   <li>then {@link #jvmOptions()}, so they win over inherited ones.</li>
 * </ul>
 * Before all of these comes {@code -XX:-UsePerfData} (no hsperfdata file in /tmp: a few ms off
 * every boot, and none left behind by a killed child; {@code -XX:+UsePerfData} in
 * {@link #jvmOptions()} undoes it), and, once it is built, the class-data archive for children
 * (see the README, "Cold boot").
 * A child hands SIGTERM, SIGINT and SIGHUP back to the kernel as soon as it starts, so that they
 * end it with exit code -N, as in Python, instead of the JVM's 128+N. (Do not add {@code -Xrs}:
 * it makes every child JVM open an attach socket file in /tmp at boot.)
 * Children inherit the context they were started with as their own default.
 */
public final class ProcessContext {
    /** System property: whitespace-separated JVM options for children of the default context. */
    public static final String JVM_OPTIONS_PROPERTY = "multiprocessing4j.jvmOptions";
    /** System property: the default context's start method by its Python name ({@code spawn}, {@code warm}). */
    public static final String START_METHOD_PROPERTY = "multiprocessing4j.startMethod";

    private final StartMethod startMethod;
    private final List<String> jvmOptions;
    private final boolean inheritJvmOptions;
    private final String javaExecutable;
    private final String classPath;
    private final Duration bootTimeout;
    private final int warmSpares;

    private ProcessContext(Builder builder) {
        this.startMethod = builder.startMethod;
        this.jvmOptions = Collections.unmodifiableList(new ArrayList<>(builder.jvmOptions));
        this.inheritJvmOptions = builder.inheritJvmOptions;
        this.javaExecutable = builder.javaExecutable;
        this.classPath = builder.classPath;
        this.bootTimeout = builder.bootTimeout;
        this.warmSpares = builder.warmSpares;
    }

    /** The context {@code new ChildProcess(...)} uses: from system properties, or the parent's in a child. */
    public static ProcessContext defaultContext() {
        return DefaultContext.get();
    }

    /** A builder with the defaults: {@link StartMethod#SPAWN}, inherited JVM options, a 60 s boot timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this context's settings, to derive a context that differs in some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.startMethod = startMethod;
        builder.jvmOptions.addAll(jvmOptions);
        builder.inheritJvmOptions = inheritJvmOptions;
        builder.javaExecutable = javaExecutable;
        builder.classPath = classPath;
        builder.bootTimeout = bootTimeout;
        builder.warmSpares = warmSpares;
        return builder;
    }

    /** A process of this context running {@code target} (Python's {@code ctx.Process(target=...)}). */
    public ChildProcess newProcess(ProcessTarget target) {
        return ChildProcess.builder(target).context(this).build();
    }

    /** How children of this context are started (Python's {@code get_start_method()}). */
    public StartMethod startMethod() {
        return startMethod;
    }

    /** JVM options added to every child's command line. */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * Whether children get the parent's assertion switches, module options and {@code -D}
     * properties (see the class comment) before {@link #jvmOptions()}.
     */
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

    /** How long {@code start()} waits for a child JVM to boot and take its target before failing. */
    public Duration bootTimeout() {
        return bootTimeout;
    }

    /** How many booted spare JVMs the {@link StartMethod#WARM} method keeps ready. */
    public int warmSpares() {
        return warmSpares;
    }

    /**
     * With {@link StartMethod#WARM}, boots the spares now (in the background) instead of at the
     * first {@code start()}; does nothing for other methods.
     */
    public ProcessContext warmUp() {
        if (startMethod == StartMethod.WARM) {
            io.multiprocessing4j.internal.process.WarmSpares.of(this).replenish();
        }
        return this;
    }

    /** Whether {@link #javaExecutable()} was configured (it is otherwise this JVM's). */
    public boolean hasCustomJavaExecutable() {
        return javaExecutable != null;
    }

    /** Whether {@link #classPath()} was configured (it is otherwise this JVM's). */
    public boolean hasCustomClassPath() {
        return classPath != null;
    }

    /** Contexts are values: equal settings start equal children (and share warm spares). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ProcessContext)) {
            return false;
        }
        ProcessContext that = (ProcessContext) other;
        return startMethod == that.startMethod && jvmOptions.equals(that.jvmOptions)
                && inheritJvmOptions == that.inheritJvmOptions && Objects.equals(javaExecutable, that.javaExecutable)
                && Objects.equals(classPath, that.classPath) && bootTimeout.equals(that.bootTimeout)
                && warmSpares == that.warmSpares;
    }

    @Override
    public int hashCode() {
        return Objects.hash(startMethod, jvmOptions, inheritJvmOptions, javaExecutable, classPath, bootTimeout,
                warmSpares);
    }

    @Override
    public String toString() {
        return "ProcessContext[" + startMethod.pythonName() + ", jvmOptions=" + jvmOptions
                + (inheritJvmOptions ? ", inheriting" : "") + ", bootTimeout=" + bootTimeout
                + (startMethod == StartMethod.WARM ? ", warmSpares=" + warmSpares : "") + "]";
    }

    /** Builds a {@link ProcessContext}. */
    public static final class Builder {
        private StartMethod startMethod = StartMethod.SPAWN;
        private final List<String> jvmOptions = new ArrayList<>();
        private boolean inheritJvmOptions = true;
        private String javaExecutable;
        private String classPath;
        private Duration bootTimeout = Duration.ofSeconds(60);
        private int warmSpares = 1;

        private Builder() {
        }

        /** How children are started; {@link StartMethod#SPAWN} by default. */
        public Builder startMethod(StartMethod method) {
            this.startMethod = Objects.requireNonNull(method, "method");
            return this;
        }

        /** Replaces the JVM options added to every child's command line. */
        public Builder jvmOptions(String... options) {
            return jvmOptions(Arrays.asList(options));
        }

        /**
         * Replaces the JVM options added to every child's command line. Throws
         * {@link IllegalArgumentException} for an empty option, {@link NullPointerException} for null.
         */
        public Builder jvmOptions(List<String> options) {
            for (String option : options) {
                Objects.requireNonNull(option, "JVM option");
                if (option.isEmpty()) {
                    throw new IllegalArgumentException("empty JVM option");
                }
            }
            this.jvmOptions.clear();
            this.jvmOptions.addAll(options);
            return this;
        }

        /** Whether children inherit the parent's JVM options (see the class comment); true by default. */
        public Builder inheritJvmOptions(boolean inherit) {
            this.inheritJvmOptions = inherit;
            return this;
        }

        /** The {@code java} binary to run; null for this JVM's. */
        public Builder javaExecutable(String path) {
            this.javaExecutable = path;
            return this;
        }

        /** The class path children get; null for this JVM's. */
        public Builder classPath(String classPath) {
            this.classPath = classPath;
            return this;
        }

        /**
         * How long {@code start()} waits for a child JVM to boot and take its target before it
         * throws {@link ProcessStartException} (and kills the child); 60 s by default, positive.
         */
        public Builder bootTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("boot timeout must be positive: " + timeout);
            }
            this.bootTimeout = timeout;
            return this;
        }

        /** How many booted spares {@link StartMethod#WARM} keeps ready (at least 1; default 1). */
        public Builder warmSpares(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("warm spares must be at least 1: " + count);
            }
            this.warmSpares = count;
            return this;
        }

        /** An immutable context with these settings. */
        public ProcessContext build() {
            return new ProcessContext(this);
        }
    }
}
