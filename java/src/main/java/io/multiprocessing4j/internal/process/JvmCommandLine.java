package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.nativ.NativeLibrary;
import io.multiprocessing4j.internal.nativ.ShmDirectory;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM (see {@code ProcessContext} for what goes into it and why). */
public final class JvmCommandLine {
    private static volatile List<String> inherited;
    /**
     * Options every child starts with, before inherited and configured ones (which may undo them):
     * no hsperfdata file in /tmp, whose creation costs a few ms of every boot and which a child
     * killed by a signal leaves behind (jps and jstat do not list children; jcmd PID still works);
     * and the JVM's own messages on stderr rather than stdout. A JVM says why its initialization
     * failed (a heap it cannot size or reserve, a thread a process limit refuses) on stdout, where
     * it was lost among the program's output while start() failed without a reason: on stderr it
     * reaches the boot pipe, and start()'s exception. (Its other such output, a thread dump on
     * SIGQUIT say, goes to stderr too.) Unified logging's warnings and errors, which HotSpot writes
     * to stdout by default, go to stderr as well: some boot failures are told only there, such as
     * a JVM that cannot start its first GC thread (JDK 17 to 26: "Failed to start thread "GC
     * Thread#0" - pthread_create failed (EAGAIN)", then exit code 1 and nothing on stderr).
     * {@code jvmOptions("-Xlog:disable", "-Xlog:all=warning:stdout")} puts them back.
     *
     * <p>Measured and left out (README, "Cold boot"): {@code -XX:ArchiveRelocationMode=0} (a
     * diagnostic flag). JDK 17 updates and later JDKs map the class-data archive at a random
     * address and relocate it, which dirties about 10 MB of its pages in every JVM: it costs a
     * bare {@code java Hello} 3.5-10 ms of its boot, and a child's exit about 1 ms more to unmap.
     * Mapping it at its fixed address would save both, but gives up address-space randomization
     * of the JVM's metadata, which is not the library's to give up for its users; they may, with
     * {@code jvmOptions("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0")}.
     */
    static final List<String> START_UP_OPTIONS = List.of("-XX:-UsePerfData", "-XX:+DisplayVMOutputToStderr",
            "-Xlog:disable", "-Xlog:all=warning:stderr:uptime,level,tags");

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

    /**
     * A child's command line, with the class-data archive for children when one is ready (see
     * {@link ClassDataArchive}); {@code resourceTrackerFd} is the child's fd of the tracker channel, or -1.
     */
    static List<String> build(LaunchSettings context, Mode mode, int resourceTrackerFd) {
        List<String> properties = resourceTrackerFd < 0 ? List.of()
                : List.of("-D" + ResourceTracker.FD_PROPERTY + "=" + resourceTrackerFd);
        List<String> argv = build(context, ChildMain.class, properties);
        argv.addAll(1, childOptions());
        ClassDataArchive.addTo(argv);
        if (mode.argument != null) {
            argv.add(mode.argument);
        }
        return argv;
    }

    /**
     * The command line a child of {@code context} gets, without its mode argument nor the
     * class-data archive's options: what the archive for children is keyed by.
     */
    public static List<String> childBase(LaunchSettings context) {
        List<String> argv = build(context, ChildMain.class, List.of());
        argv.addAll(1, childOptions());
        return argv;
    }

    /**
     * Where options that refine the start-up options go in a child's command line (the class-data
     * archive's, which quiet its logging): after them, so that {@code -Xlog:disable} does not undo
     * them, and before the inherited and configured options, which may undo both.
     */
    static int afterStartUpOptions(List<String> argv) {
        int end = 1 + START_UP_OPTIONS.size();
        return argv.size() >= end && argv.subList(1, end).equals(START_UP_OPTIONS) ? end : 1;
    }

    /**
     * {@link #START_UP_OPTIONS}. Spawned children and warm spares get the same line, so that they
     * share one class-data archive. Nothing here may cost the JDK's archived module graph
     * ({@code --add-opens}, {@code --add-exports}, {@code --add-modules} and their kin each do,
     * about 11 ms of every boot on JDK 17): what a child needs from the JDK's internals it reads
     * through JNI ({@link QuickExit}).
     */
    private static List<String> childOptions() {
        return new ArrayList<>(START_UP_OPTIONS);
    }

    /**
     * The command line of a JVM of ours that runs {@code mainClass} (in our module, if we are in one)
     * with {@code context}'s java binary, class path and options, plus {@code properties}.
     */
    public static List<String> build(LaunchSettings context, Class<?> mainClass, List<String> properties) {
        List<String> argv = new ArrayList<>();
        argv.add(context.javaExecutable());
        boolean nativeAccessFlag = context.hasCustomJavaExecutable() || Runtime.version().feature() >= 22;
        if (context.inheritJvmOptions()) {
            for (String option : inheritedOptions()) {
                if (nativeAccessFlag || !option.startsWith("--enable-native-access")) {
                    argv.add(option);
                }
            }
        }
        argv.addAll(context.jvmOptions());
        Module module = mainClass.getModule();
        // Every JVM of ours loads our native library; from JDK 24 on, one not granted native access
        // prints a restricted-method warning on its stderr at that load (and a later JDK refuses it).
        // Before JDK 22 the flag concerns only the incubating foreign API, and it costs every boot
        // the JDK's archived module graph (a few ms): left out there, for this JVM's own java.
        String nativeAccess = "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
        if (nativeAccessFlag && !argv.contains(nativeAccess)) { // once, if the parent's own was inherited
            argv.add(nativeAccess);
        }
        argv.add("-D" + NativeLibrary.PATH_PROPERTY + "=" + NativeLibrary.path());
        if (ShmDirectory.isFallback()) { // a child must find the segments its parent named
            argv.add("-D" + ShmDirectory.PROPERTY + "=" + ShmDirectory.path());
        }
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
