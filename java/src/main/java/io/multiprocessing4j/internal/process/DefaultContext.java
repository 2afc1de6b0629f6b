package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.ProcessContext;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The default {@link ProcessContext} of this JVM: built from system properties in the main
 * process, received from the parent in a child. Also its wire form in the bootstrap message.
 */
public final class DefaultContext {
    private static volatile ProcessContext current;
    /** In a child: the parent's context, decoded only when first needed (it loads java.time). */
    private static volatile WireForm pending;

    private DefaultContext() {
    }

    public static ProcessContext get() {
        ProcessContext context = current;
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

    /** A context as it travelled in the bootstrap message, not yet turned into a ProcessContext. */
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

        ProcessContext decode() {
            return ProcessContext.builder()
                    .startMethod(io.multiprocessing4j.StartMethod.forName(startMethod))
                    .jvmOptions(jvmOptions)
                    .inheritJvmOptions(inherit)
                    .javaExecutable(javaExecutable.isEmpty() ? null : javaExecutable)
                    .classPath(classPath.isEmpty() ? null : classPath)
                    .bootTimeout(Duration.ofMillis(bootTimeoutMillis))
                    .warmSpares(warmSpares)
                    .maxWarmSpares(maxWarmSpares)
                    .spareIdleTimeout(Duration.ofNanos(spareIdleNanos))
                    .build();
        }
    }

    private static ProcessContext fromSystemProperties() {
        String options = System.getProperty(ProcessContext.JVM_OPTIONS_PROPERTY, "").trim();
        ProcessContext.Builder builder = ProcessContext.builder();
        String method = System.getProperty(ProcessContext.START_METHOD_PROPERTY, "").trim();
        if (!method.isEmpty()) {
            builder.startMethod(io.multiprocessing4j.StartMethod.forName(method));
        }
        if (!options.isEmpty()) {
            builder.jvmOptions(options.split("\\s+"));
        }
        return builder.build();
    }

    static void write(ProcessContext context, DataOutput out) throws IOException {
        BootstrapMessage.writeString(out, context.startMethod().pythonName());
        out.writeInt(context.jvmOptions().size());
        for (String option : context.jvmOptions()) {
            BootstrapMessage.writeString(out, option);
        }
        out.writeBoolean(context.inheritJvmOptions());
        BootstrapMessage.writeString(out, context.hasCustomJavaExecutable() ? context.javaExecutable() : "");
        BootstrapMessage.writeString(out, context.hasCustomClassPath() ? context.classPath() : "");
        out.writeLong(context.bootTimeout().toMillis());
        out.writeInt(context.warmSpares());
        out.writeInt(context.maxWarmSpares());
        out.writeLong(io.multiprocessing4j.internal.time.Durations.toNanos(context.spareIdleTimeout()));
    }

    static WireForm read(DataInputStream in) throws IOException {
        String startMethod = BootstrapMessage.readString(in);
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new java.io.StreamCorruptedException("JVM option count " + count);
        }
        List<String> options = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            options.add(BootstrapMessage.readString(in));
        }
        boolean inherit = in.readBoolean();
        String java = BootstrapMessage.readString(in);
        String classPath = BootstrapMessage.readString(in);
        long bootTimeoutMillis = in.readLong();
        int warmSpares = in.readInt();
        int maxWarmSpares = in.readInt();
        long spareIdleNanos = in.readLong();
        return new WireForm(startMethod, options, inherit, java, classPath, bootTimeoutMillis, warmSpares,
                maxWarmSpares, spareIdleNanos);
    }
}
