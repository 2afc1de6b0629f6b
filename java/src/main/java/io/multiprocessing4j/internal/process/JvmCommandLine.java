package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.nativ.NativeLibrary;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM (see {@code ProcessContext} for what goes into it and why). */
public final class JvmCommandLine {
    private static volatile List<String> inherited;

    private JvmCommandLine() {
    }

    /** What the child is started as; its entry point's single argument. */
    enum Mode {
        /** Its target comes in LambdaCodec's compact form. */
        COMPACT_TARGET(null),
        /** Its target comes with Java serialization, worth warming up while the JVM boots. */
        JAVA_SERIALIZED_TARGET("java-serialization"),
        /** A warm spare: boot, warm up, then wait for orders. */
        SPARE("warm");

        final String argument;

        Mode(String argument) {
            this.argument = argument;
        }
    }

    /** A child's command line; {@code resourceTrackerFd} is the child's fd of the tracker channel, or -1. */
    static List<String> build(LaunchSettings context, Mode mode, int resourceTrackerFd) {
        List<String> properties = resourceTrackerFd < 0 ? List.of()
                : List.of("-D" + ResourceTracker.FD_PROPERTY + "=" + resourceTrackerFd);
        List<String> argv = build(context, ChildMain.class, properties);
        if (mode.argument != null) {
            argv.add(mode.argument);
        }
        return argv;
    }

    /**
     * The command line of a JVM of ours that runs {@code mainClass} (in our module, if we are in one)
     * with {@code context}'s java binary, class path and options, plus {@code properties}.
     */
    public static List<String> build(LaunchSettings context, Class<?> mainClass, List<String> properties) {
        List<String> argv = new ArrayList<>();
        argv.add(context.javaExecutable());
        if (context.inheritJvmOptions()) {
            argv.addAll(inheritedOptions());
        }
        argv.addAll(context.jvmOptions());
        Module module = mainClass.getModule();
        // Every JVM of ours loads our native library; from JDK 24 on, one not granted native access
        // prints a restricted-method warning on its stderr at that load (and a later JDK refuses it).
        argv.add("--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED"));
        argv.add("-D" + NativeLibrary.PATH_PROPERTY + "=" + NativeLibrary.path());
        argv.addAll(properties);
        String classPath = context.classPath();
        if (!classPath.isEmpty()) {
            argv.add("-cp");
            argv.add(classPath);
        }
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            argv.add("--module-path");
            argv.add(modulePath);
            argv.add("--add-modules");
            argv.add("ALL-MODULE-PATH");
        }
        if (module.isNamed()) {
            argv.add("-m");
            argv.add(module.getName() + "/" + mainClass.getName());
        } else {
            argv.add(mainClass.getName());
        }
        return argv;
    }

    /** This JVM's options that a child must share to load and run the same code the same way. */
    static List<String> inheritedOptions() {
        List<String> options = inherited;
        if (options == null) {
            options = select(ManagementFactory.getRuntimeMXBean().getInputArguments());
            inherited = options;
        }
        return options;
    }

    static List<String> select(List<String> arguments) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (isAssertionSwitch(argument) || argument.equals("--enable-preview")
                    || argument.startsWith("--enable-native-access") || isModuleEdit(argument)) {
                kept.add(argument);
                if (isModuleEdit(argument) && !argument.contains("=") && i + 1 < arguments.size()) {
                    kept.add(arguments.get(++i));
                }
            } else if (argument.startsWith("-D") && !isOwnProperty(argument)) {
                kept.add(argument);
            }
        }
        return List.copyOf(kept);
    }

    private static boolean isAssertionSwitch(String argument) {
        return argument.matches("-(e|d|es|ds)a(:.*)?")
                || argument.matches("-(enable|disable)(system)?assertions(:.*)?");
    }

    private static boolean isModuleEdit(String argument) {
        return argument.startsWith("--add-opens") || argument.startsWith("--add-exports")
                || argument.startsWith("--add-reads");
    }

    /** Properties the child gets from us afresh, or that describe this JVM's launch, not its configuration. */
    private static boolean isOwnProperty(String argument) {
        return argument.startsWith("-D" + NativeLibrary.PATH_PROPERTY + "=")
                || argument.startsWith("-D" + ResourceTracker.FD_PROPERTY + "=")
                || argument.startsWith("-Djava.class.path=") || argument.startsWith("-Djdk.module.")
                || argument.startsWith("-Dsun.java.command=") || argument.startsWith("-Djava.home=");
    }
}
