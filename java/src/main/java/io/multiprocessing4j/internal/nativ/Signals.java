package io.multiprocessing4j.internal.nativ;

/** Binding for native/signals.c: signal dispositions. */
public final class Signals {
    static {
        NativeLibrary.load();
    }

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGTERM = 15;

    private Signals() {
    }

    /** Sets {@code signal}'s disposition to SIG_IGN; 0 or -errno. */
    public static native int ignore(int signal);
}
