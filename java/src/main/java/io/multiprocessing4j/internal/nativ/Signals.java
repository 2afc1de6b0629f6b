package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/** Peer of native/signals.c: signal dispositions. */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGTERM = 15;
    /** The last real-time signal: 64 on every Linux architecture the library is built for (_NSIG - 1). */
    public static final int SIGRTMAX = 64;

    private Signals() {
    }

    private static native int ignore0(int signal);

    private static native int setDefault0(int signal);

    private static native int keepChildStatuses0();

    /** Sets {@code signal}'s disposition to SIG_IGN. */
    public static void ignore(int signal) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(ignore0(signal), "sigaction(SIG_IGN)");
    }

    /**
     * Makes the kernel keep this process's children's exit statuses for it to collect: where
     * SIGCHLD is ignored (or handled with {@code SA_NOCLDWAIT}), it becomes SIG_DFL (or loses the
     * flag). True if it was so and was changed.
     */
    public static boolean keepChildStatuses() throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(keepChildStatuses0(), "sigaction(SIGCHLD)") == 1;
    }

    /** Sets {@code signal}'s disposition to SIG_DFL. */
    public static void setDefault(int signal) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(setDefault0(signal), "sigaction(SIG_DFL)");
    }
}
