package io.multiprocessing4j.internal.nativ;

/** Binding for native/reap.c: finding ended children without reaping them, and subreaping. */
public final class Reaping {
    static {
        NativeLibrary.load();
    }

    private Reaping() {
    }

    /** waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT): the pid of an ended child, 0 if none, or -errno. */
    public static native int peekExitedChild();

    /** prctl(PR_SET_CHILD_SUBREAPER, on). */
    public static native int setChildSubreaper(boolean on);
}
