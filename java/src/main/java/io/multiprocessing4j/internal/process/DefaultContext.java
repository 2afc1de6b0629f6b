package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.transfer.ByteCursor;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of this JVM's default {@code ProcessContext}: from system properties in the main
 * process, received from the parent in a child. Also their wire form in the bootstrap message.
 * A start method is checked by the public context when it is made from these settings.
 */
public final class DefaultContext {
    /** System property: whitespace-separated JVM options for children of the default context. */
    public static final String JVM_OPTIONS_PROPERTY = "multiprocessing4j.jvmOptions";
    /** System property: the default context's start method by its Python name ({@code spawn}, {@code warm}). */
    public static final String START_METHOD_PROPERTY = "multiprocessing4j.startMethod";

    private static volatile LaunchSettings current;
    /** In a child: the parent's context, decoded only when first needed (it loads java.time). */
    private static volatile WireForm pending;

    private DefaultContext() {
    }

    public static LaunchSettings get() {
        LaunchSettings context = current;
        if (context == null) {
            synchronized (DefaultContext.class) {
                if (current == null) {
                    current = pending != null ? pending.decode() : fromSystemProperties();
                }
                context = current;
            }
        }
        return context;
    }

    /** Called by the child's entry point with the context its parent started it with. */
    public static void install(WireForm context) {
        pending = context; // not a lambda: a child's boot should not bootstrap invokedynamic for this
        current = null;
    }

    /** Settings as they travelled in the bootstrap message, not yet decoded. */
    public static final class WireForm {
        private final String startMethod;
        private final List<String> jvmOptions;
        private final boolean inherit;
        private final String javaExecutable;
        private final String classPath;
        private final long bootTimeoutMillis;
        private final int warmSpares;
        private final int maxWarmSpares;
        private final long spareIdleNanos;

        WireForm(String startMethod, List<String> jvmOptions, boolean inherit, String javaExecutable,
                 String classPath, long bootTimeoutMillis, int warmSpares, int maxWarmSpares, long spareIdleNanos) {
            this.startMethod = startMethod;
            this.jvmOptions = jvmOptions;
            this.inherit = inherit;
            this.javaExecutable = javaExecutable;
            this.classPath = classPath;
            this.bootTimeoutMillis = bootTimeoutMillis;
            this.warmSpares = warmSpares;
            this.maxWarmSpares = maxWarmSpares;
            this.spareIdleNanos = spareIdleNanos;
        }

        LaunchSettings decode() {
            return new LaunchSettings(startMethod, jvmOptions, inherit, javaExecutable.isEmpty() ? null : javaExecutable,
                    classPath.isEmpty() ? null : classPath, Duration.ofMillis(bootTimeoutMillis), warmSpares,
                    maxWarmSpares, Duration.ofNanos(spareIdleNanos));
        }
    }

    private static LaunchSettings fromSystemProperties() {
        String options = System.getProperty(JVM_OPTIONS_PROPERTY, "").trim();
        String method = System.getProperty(START_METHOD_PROPERTY, "").trim();
        LaunchSettings defaults = LaunchSettings.DEFAULTS;
        return new LaunchSettings(method.isEmpty() ? defaults.startMethod() : method,
                options.isEmpty() ? List.of() : List.of(options.split("\\s+")), defaults.inheritJvmOptions(), null, null,
                defaults.bootTimeout(), defaults.warmSpares());
    }

    static void write(LaunchSettings context, DataOutput out) throws IOException {
        BootstrapMessage.writeString(out, context.startMethod());
        out.writeInt(context.jvmOptions().size());
        for (String option : context.jvmOptions()) {
            BootstrapMessage.writeString(out, option);
        }
        out.writeBoolean(context.inheritJvmOptions());
        BootstrapMessage.writeString(out, context.hasCustomJavaExecutable() ? context.javaExecutable() : "");
        BootstrapMessage.writeString(out, context.hasCustomClassPath() ? context.classPath() : "");
        out.writeLong(context.bootTimeout().toMillis());
        out.writeInt(context.warmSpares());
        out.writeInt(context.configuredMaxWarmSpares()); // a default one is the child's to work out, for its memory
        out.writeLong(io.multiprocessing4j.internal.time.Durations.toNanos(context.spareIdleTimeout()));
    }

    static WireForm read(ByteCursor in) throws IOException {
        String startMethod = BootstrapMessage.readString(in);
        int count = in.getLength(4); // each option takes at least its 4-byte length
        List<String> options = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            options.add(BootstrapMessage.readString(in));
        }
        boolean inherit = in.getBoolean();
        String java = BootstrapMessage.readString(in);
        String classPath = BootstrapMessage.readString(in);
        long bootTimeoutMillis = in.getLong();
        int warmSpares = in.getInt();
        int maxWarmSpares = in.getInt();
        long spareIdleNanos = in.getLong();
        return new WireForm(startMethod, options, inherit, java, classPath, bootTimeoutMillis, warmSpares,
                maxWarmSpares, spareIdleNanos);
    }
}
