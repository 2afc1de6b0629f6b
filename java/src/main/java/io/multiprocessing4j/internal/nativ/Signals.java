package io.multiprocessing4j.internal.nativ;

/** Binding for native/signals.c: signal dispositions. */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGTERM = 15;

    private Signals() {
    }

    /** Sets {@code signal}'s disposition to SIG_IGN; 0 or -errno. */
    public static int ignore(int signal) {
        NativeLibrary.load();
        return ignore0(signal);
    }

    private static native int ignore0(int signal);

    /** Sets {@code signal}'s disposition to SIG_DFL; 0 or -errno. */
    public static int setDefault(int signal) {
        NativeLibrary.load();
        return setDefault0(signal);
    }

    private static native int setDefault0(int signal);
}
