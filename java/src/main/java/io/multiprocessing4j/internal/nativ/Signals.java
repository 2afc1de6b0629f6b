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

    /** Sets {@code signal}'s disposition to SIG_IGN. */
    public static void ignore(int signal) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(ignore0(signal), "sigaction(SIG_IGN)");
    }

    /** Sets {@code signal}'s disposition to SIG_DFL. */
    public static void setDefault(int signal) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(setDefault0(signal), "sigaction(SIG_DFL)");
    }
}
