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

    private DefaultContext() {
    }

    public static ProcessContext get() {
        ProcessContext context = current;
        if (context == null) {
            synchronized (DefaultContext.class) {
                if (current == null) {
                    current = fromSystemProperties();
                }
                context = current;
            }
        }
        return context;
    }

    /** Called by the child's entry point with the context its parent started it with. */
    public static void install(ProcessContext context) {
        current = context;
    }

    private static ProcessContext fromSystemProperties() {
        String options = System.getProperty(ProcessContext.JVM_OPTIONS_PROPERTY, "").trim();
        ProcessContext.Builder builder = ProcessContext.builder();
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
    }

    static ProcessContext read(DataInputStream in) throws IOException {
        ProcessContext.Builder builder = ProcessContext.builder();
        builder.startMethod(io.multiprocessing4j.StartMethod.forName(BootstrapMessage.readString(in)));
        int count = in.readInt();
        List<String> options = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            options.add(BootstrapMessage.readString(in));
        }
        builder.jvmOptions(options);
        builder.inheritJvmOptions(in.readBoolean());
        String java = BootstrapMessage.readString(in);
        String classPath = BootstrapMessage.readString(in);
        builder.javaExecutable(java.isEmpty() ? null : java);
        builder.classPath(classPath.isEmpty() ? null : classPath);
        builder.bootTimeout(Duration.ofMillis(in.readLong()));
        return builder.build();
    }
}
