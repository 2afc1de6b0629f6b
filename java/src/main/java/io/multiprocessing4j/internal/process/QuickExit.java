package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.ProcessExit;
import java.util.Collection;
import java.util.Map;

/**
 * How a child of ours (spawned or warm) ends once its target has returned and its non-daemon
 * threads have ended: as Python's children end ({@code os._exit} after flushing), when nothing is
 * left to run at exit. The JVM's own exit takes 5-10 ms more (at its final safepoint it waits, in
 * 10 ms steps, for threads in native code, the JIT's compiler threads included), a warm
 * start→join's largest part, and up to 300 ms when a thread of the library waits in native code
 * (a connection's readiness poller, a futex sleeper) on JDKs before 22.
 *
 * <p>Nothing is left to run when no shutdown hook is registered (the library registers one in a
 * child that started children of its own, users may register theirs; java.util.logging's, which
 * only resets the log manager, is run here instead) and no file waits for
 * {@code deleteOnExit}. A JVM told to write something at its exit (a class list, a class-data
 * archive or an AOT configuration: the training child that builds the archive for children is such
 * a JVM) halts instead, which runs the JVM's own exit sequence, where it writes them, and nothing
 * of Java's. All are read from the JDK's private tables through JNI, which applies no
 * access checks: opening them with {@code --add-opens} instead would cost every child's boot the
 * JDK's archived module graph (about a third of a bare {@code java Hello}). Where they cannot be
 * read (a JDK that moved them), or anything is registered, the child exits through
 * {@link System#exit} as any JVM.
 * The JVM's perf-data file ({@code /tmp/hsperfdata_USER/PID}), which its exit would remove, is
 * removed here.
 */
public final class QuickExit {
    private static final String LOGGING_CLEANER = "java.util.logging.LogManager$Cleaner";
    /**
     * Joined here, when a spare's rehearsal first uses this class: the first string concatenation
     * of a JVM bootstraps its call site, a quarter of a millisecond at a child's very end.
     */
    private static final String PERF_DATA_DIRECTORY = "/tmp/hsperfdata_" + System.getProperty("user.name");
    /**
     * JVM options under which the JVM writes a file at its exit: a class list (written as classes
     * load, but flushed at the exit), a dynamic archive, an AOT configuration or cache.
     */
    private static final String[] WRITE_AT_EXIT = {"-XX:DumpLoadedClassList", "-XX:ArchiveClassesAtExit",
        "-XX:+AutoCreateSharedArchive", "-XX:AOTMode=record", "-XX:AOTCacheOutput"};
    /** Whether this JVM's options make it write at its exit: read once (they do not change). */
    private static volatile Boolean writesAtExit;
    /** Set in a child of ours: only it ends this way, never a user's JVM that calls the library. */
    private static volatile boolean childOfOurs;

    private QuickExit() {
    }

    /** This JVM is a child of ours: {@link #ifNothingLeft} may end it. */
    static void enable() {
        childOfOurs = true;
    }

    /**
     * In a child of ours, ends the process with {@code status} if nothing is left to run at exit;
     * returns otherwise (and always in any other JVM), for the caller to call {@link System#exit}.
     * A child's last act: its target's end (ChildMain), a pool worker's end (WorkerMain).
     */
    public static void ifNothingLeft(int status) {
        if (!childOfOurs) {
            return;
        }
        Left left = leftToRun();
        if (left == Left.SOMETHING || (left == Left.LOGGING_RESET && !resetLogging())) {
            return;
        }
        System.out.flush();
        System.err.flush();
        if (left == Left.FILES_AT_EXIT) {
            // The JVM writes its files in its own exit sequence, which a halt runs too; System.exit
            // would first bring up the JDK's logging (JDK 21+ logs Runtime.exit), some 70 classes
            // that a training child would put into every child's archive.
            Runtime.getRuntime().halt(status);
        }
        removePerfDataFile();
        ProcessExit.exitNow(status);
    }

    /** What the JVM's exit would still do. */
    enum Left {
        NOTHING,
        /** Only java.util.logging's reset of the log manager. */
        LOGGING_RESET,
        /**
         * Only what the JVM itself writes at its exit (a class list, an archive, an AOT
         * configuration): no hook, no file to delete. The training child of a class-data archive.
         */
        FILES_AT_EXIT,
        /** Shutdown hooks, files to delete, or what cannot be read. */
        SOMETHING
    }

    /** What is registered to run at exit; reads the tables only (no side effect, so a rehearsal may call it). */
    static Left leftToRun() {
        try {
            Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
            Object table = ProcessExit.staticObjectField(hooks, "hooks", "Ljava/util/IdentityHashMap;");
            boolean loggingHook;
            synchronized (hooks) {
                if (!(table instanceof Map)) {
                    return Left.SOMETHING; // null: shutdown already under way
                }
                for (Object hook : ((Map<?, ?>) table).keySet()) {
                    if (!hook.getClass().getName().equals(LOGGING_CLEANER)) {
                        return Left.SOMETHING;
                    }
                }
                loggingHook = !((Map<?, ?>) table).isEmpty();
            }
            Class<?> deleteOnExit = Class.forName("java.io.DeleteOnExitHook");
            Object files = ProcessExit.staticObjectField(deleteOnExit, "files", "Ljava/util/LinkedHashSet;");
            synchronized (deleteOnExit) {
                if (!(files instanceof Collection) || !((Collection<?>) files).isEmpty()) {
                    return Left.SOMETHING;
                }
            }
            // Read last, so that a training child (which writes at exit) has loaded what the tables
            // need, for the class-data archive it trains.
            if (writesAtExit()) {
                return loggingHook ? Left.SOMETHING : Left.FILES_AT_EXIT;
            }
            return loggingHook ? Left.LOGGING_RESET : Left.NOTHING;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return Left.SOMETHING; // a JDK that moved or retyped them: exit as any JVM
        }
    }

    /**
     * Whether the JVM's options (as it holds them: its command line, JAVA_TOOL_OPTIONS,
     * JDK_JAVA_OPTIONS and argument files included) make it write a file at its exit.
     */
    private static boolean writesAtExit() throws ClassNotFoundException {
        Boolean known = writesAtExit;
        if (known == null) {
            Object options = ProcessExit.staticObjectCall(Class.forName("jdk.internal.misc.VM"),
                    "getRuntimeArguments", "()[Ljava/lang/String;");
            boolean writes = !(options instanceof String[]); // unreadable: as if it did
            if (!writes) {
                for (String option : (String[]) options) {
                    for (String writer : WRITE_AT_EXIT) {
                        writes |= option.startsWith(writer);
                    }
                }
            }
            known = writes;
            writesAtExit = known;
        }
        return known;
    }

    /**
     * java.util.logging's hook, which any use of {@code System.Logger} installs: it resets the
     * log manager (closing, so flushing, every handler). Done here instead; true if it was.
     */
    private static boolean resetLogging() {
        try {
            Class<?> manager = Class.forName("java.util.logging.LogManager");
            Object logManager = manager.getMethod("getLogManager").invoke(null);
            manager.getMethod("reset").invoke(logManager);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * With java.io.File, whose delete of a missing file (children start with -XX:-UsePerfData,
     * so it usually is) returns false: NIO's throws and catches an exception inside, whose class
     * loading and stack trace a child's last act would pay for.
     */
    private static void removePerfDataFile() {
        try {
            new java.io.File(PERF_DATA_DIRECTORY, Integer.toString(ProcessCalls.getpid())).delete();
        } catch (RuntimeException ignored) {
            // not ours to fail on: the next JVM of this user removes files of ended processes
        }
    }
}
