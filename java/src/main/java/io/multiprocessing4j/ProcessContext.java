package io.multiprocessing4j;

import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.process.ChildClassPath;
import io.multiprocessing4j.internal.process.ClassDataArchive;
import io.multiprocessing4j.internal.process.DefaultContext;
import io.multiprocessing4j.internal.process.JvmCommandLine;
import io.multiprocessing4j.internal.process.LaunchSettings;
import io.multiprocessing4j.internal.process.WarmSpares;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How child processes are started: Python's context ({@code multiprocessing.get_context()}),
 * with the JVM settings a child JVM needs. Immutable; build one with {@link #builder()}.
 *
 * <p>A child JVM runs the parent's {@code java} binary with the parent's class path (and module
 * path; where the library or the target was loaded by a class loader of its own, such as Maven's
 * {@code exec:java}, that loader's jars and directories too, see the README), plus:
 * <ul>
 *   <li>the parent's assertion switches, {@code --add-opens/--add-exports/--add-reads},
 *       {@code --enable-preview}, {@code --enable-native-access} (from JDK 22 on: before, it concerns
 *       only the incubating foreign API and costs every boot a few ms) and {@code -D} system properties,
 *       unless {@link Builder#inheritJvmOptions(boolean) inheritJvmOptions(false)} (never agents,
 *       debuggers or {@code -X}/{@code -XX} flags: log files and ports would clash), whether they
 *       came from the command line or from {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} or
 *       {@code _JAVA_OPTIONS}, which children's environment does not carry (so an agent injected
 *       through them stays in the parent);</li>
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
    public static final String JVM_OPTIONS_PROPERTY = DefaultContext.JVM_OPTIONS_PROPERTY;
    /** System property: the default context's start method by its Python name ({@code spawn}, {@code warm}). */
    public static final String START_METHOD_PROPERTY = DefaultContext.START_METHOD_PROPERTY;

    private static volatile ProcessContext defaultContext;

    private final StartMethod startMethod;
    /** The settings as the launcher reads them (it never sees this public type). */
    private final LaunchSettings settings;

    private ProcessContext(StartMethod startMethod, LaunchSettings settings) {
        this.startMethod = startMethod;
        this.settings = settings;
    }

    /** The context {@code new ChildProcess(...)} uses: from system properties, or the parent's in a child. */
    public static ProcessContext defaultContext() {
        LaunchSettings settings = DefaultContext.get();
        ProcessContext context = defaultContext;
        if (context == null || context.settings != settings) {
            context = new ProcessContext(StartMethod.forName(settings.startMethod()), settings);
            defaultContext = context;
        }
        return context;
    }

    /** What the launcher is given to start a child of this context. */
    LaunchSettings settings() {
        return settings;
    }

    /** A builder with the defaults: {@link StartMethod#SPAWN}, inherited JVM options, a 60 s boot timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this context's settings, to derive a context that differs in some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.startMethod = startMethod;
        builder.jvmOptions.addAll(settings.jvmOptions());
        builder.inheritJvmOptions = settings.inheritJvmOptions();
        builder.javaExecutable = settings.hasCustomJavaExecutable() ? settings.javaExecutable() : null;
        builder.classPath = settings.hasCustomClassPath() ? settings.classPath() : null;
        builder.bootTimeout = settings.bootTimeout();
        builder.warmSpares = settings.warmSpares();
        builder.maxWarmSpares = settings.configuredMaxWarmSpares(); // 0, the default, stays the default
        builder.spareIdleTimeout = settings.spareIdleTimeout();
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
        return settings.jvmOptions();
    }

    /**
     * Whether children get the parent's assertion switches, module options and {@code -D}
     * properties (see the class comment) before {@link #jvmOptions()}.
     */
    public boolean inheritJvmOptions() {
        return settings.inheritJvmOptions();
    }

    /** The {@code java} binary children run: the configured one, or this JVM's. */
    public String javaExecutable() {
        return settings.javaExecutable();
    }

    /** The class path children get: the configured one, or this JVM's. */
    public String classPath() {
        return settings.classPath();
    }

    /** How long {@code start()} waits for a child JVM to boot and take its target before failing. */
    public Duration bootTimeout() {
        return settings.bootTimeout();
    }

    /**
     * How many booted spare JVMs the {@link StartMethod#WARM} method keeps ready at least (the
     * floor): it keeps more while starts come faster than spares boot, up to {@link #maxWarmSpares()}.
     */
    public int warmSpares() {
        return settings.warmSpares();
    }

    /** The most spare JVMs the {@link StartMethod#WARM} method keeps ready or booting (the ceiling). */
    public int maxWarmSpares() {
        return settings.maxWarmSpares();
    }

    /** How long a spare beyond {@link #warmSpares()} may wait unused before it is retired. */
    public Duration spareIdleTimeout() {
        return settings.spareIdleTimeout();
    }

    /**
     * With {@link StartMethod#WARM}, boots the spares now (in the background) instead of at the
     * first {@code start()}; does nothing for other methods.
     */
    public ProcessContext warmUp() {
        if (startMethod == StartMethod.WARM) {
            WarmSpares.of(childSettings()).replenish();
        }
        return this;
    }

    /**
     * With {@link StartMethod#WARM}, asks for at least {@code spares} spares (within
     * {@link #maxWarmSpares()}) ahead of starts known to come, such as a pool's workers, and boots
     * the missing ones in the background; does nothing for other methods. The extra ones retire
     * after {@link #spareIdleTimeout()} unused, as after a burst.
     */
    public ProcessContext warmUp(int spares) {
        if (startMethod == StartMethod.WARM) {
            WarmSpares.of(childSettings()).expect(spares);
        }
        return this;
    }

    /**
     * With {@link StartMethod#WARM}, sends this context's spares away: the ready ones exit now,
     * those still booting as their boot ends, and none boots again until the next
     * {@code start()}, {@link #warmUp()} or {@link #awaitWarmSpares}, which bring back the floor.
     * Without it, the {@link #warmSpares()} spares of a context no longer in use wait for starts
     * until this JVM exits. Contexts of equal settings share their spares, so theirs go too;
     * children already started from spares are not affected. Does nothing for other methods.
     */
    public void releaseWarmSpares() {
        if (startMethod == StartMethod.WARM) {
            WarmSpares.of(childSettings()).release();
        }
    }

    /**
     * With {@link StartMethod#WARM}, boots the spares if they are not yet booting and waits until
     * {@link #warmSpares()} of them are ready, so that the next {@code start()} is a handoff.
     * True if they were ready within {@code timeout} (also when boots keep failing: {@code start()}
     * then reports why); true at once for other methods.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitWarmSpares(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (startMethod != StartMethod.WARM) {
            return true;
        }
        WarmSpares spares = WarmSpares.of(childSettings());
        spares.replenish();
        return spares.awaitSettled(timeout);
    }

    /**
     * Waits until the class-data archive for this context's children is ready, so that the next
     * child boots with it (it is built once in the background, after the first start; see the
     * README's start methods). True if it is ready within {@code timeout}; false if there is none
     * to wait for (turned off with {@code -Dmultiprocessing4j.classDataArchive=false}, a custom
     * {@code java}, sharing options of the user's own) or building it failed. Starts never wait for
     * it: this is for warm-up and benchmarks.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitClassDataArchive(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return ClassDataArchive.awaitReady(JvmCommandLine.childBase(childSettings()), timeout);
    }

    /**
     * The settings a child started from this thread gets (a pool worker's: the library's code and
     * the caller's context class loader; see ChildClassPath), so that the spares booted and the
     * archive awaited ahead of starts are the ones those starts use.
     */
    private LaunchSettings childSettings() {
        return ChildClassPath.settingsFor(settings, ChildClassPath.class);
    }

    /** Whether {@link #javaExecutable()} was configured (it is otherwise this JVM's). */
    public boolean hasCustomJavaExecutable() {
        return settings.hasCustomJavaExecutable();
    }

    /** Whether {@link #classPath()} was configured (it is otherwise this JVM's). */
    public boolean hasCustomClassPath() {
        return settings.hasCustomClassPath();
    }

    /** Contexts are values: equal settings start equal children (and share warm spares). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ProcessContext)) {
            return false;
        }
        return settings.equals(((ProcessContext) other).settings); // the start method is in the settings
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return "ProcessContext[" + startMethod.pythonName() + ", jvmOptions=" + settings.jvmOptions()
                + (settings.inheritJvmOptions() ? ", inheriting" : "") + ", bootTimeout=" + settings.bootTimeout()
                + (startMethod == StartMethod.WARM ? ", warmSpares=" + settings.warmSpares() + ".." + settings.maxWarmSpares()
                        + ", spareIdleTimeout=" + settings.spareIdleTimeout() : "") + "]";
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
        private int maxWarmSpares; // 0: the default, raised to warmSpares if that is higher
        private Duration spareIdleTimeout = LaunchSettings.DEFAULT_SPARE_IDLE_TIMEOUT;

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

        /**
         * How many booted spares {@link StartMethod#WARM} keeps ready at least (at least 1;
         * default 1). More are booted while starts outrun them, up to {@link #maxWarmSpares(int)}.
         */
        public Builder warmSpares(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("warm spares must be at least 1: " + count);
            }
            this.warmSpares = count;
            return this;
        }

        /**
         * The most spares {@link StartMethod#WARM} keeps ready or booting, each an idle JVM (see the
         * README for what one costs in memory). By default, as many as a quarter of the memory
         * limit holds (the container's, or the machine's RAM), at 64 MiB a spare, and as a quarter
         * of a task limit holds (a cgroup's {@code pids.max}, or the user's {@code RLIMIT_NPROC}
         * where it applies), at 32 tasks a spare; at most 16 and at
         * least {@link #warmSpares(int)}. {@link #build()} throws {@link IllegalArgumentException}
         * if it is below {@code warmSpares}. Whatever the ceiling, spares beyond the floor are
         * booted only while the memory and the tasks left for this process tree hold two more.
         */
        public Builder maxWarmSpares(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("max warm spares must be at least 1: " + count);
            }
            this.maxWarmSpares = count;
            return this;
        }

        /**
         * How long a spare beyond {@link #warmSpares(int)} may wait unused before it exits, so that
         * the count follows demand back down after a burst; default 30 s, positive.
         */
        public Builder spareIdleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("spare idle timeout must be positive: " + timeout);
            }
            this.spareIdleTimeout = timeout;
            return this;
        }

        /** An immutable context with these settings. */
        public ProcessContext build() {
            return new ProcessContext(startMethod, new LaunchSettings(startMethod.pythonName(), jvmOptions,
                    inheritJvmOptions, javaExecutable, classPath, bootTimeout, warmSpares, ceiling(), spareIdleTimeout));
        }

        private int ceiling() {
            if (maxWarmSpares != 0 && maxWarmSpares < warmSpares) {
                throw new IllegalArgumentException("at most " + maxWarmSpares + " warm spares, fewer than the "
                        + warmSpares + " kept ready at least");
            }
            return maxWarmSpares;
        }
    }
}
