package io.multiprocessing4j.internal.nativ;

/** Binding for native/reaping.c: finding ended children without reaping them, and subreaping. */
public final class Reaping {
    private Reaping() {
    }

    /** waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT): the pid of an ended child, 0 if none, or -errno. */
    public static int peekExitedChild() {
        NativeLibrary.load();
        return peekExitedChild0();
    }

    private static native int peekExitedChild0();

    /** prctl(PR_SET_CHILD_SUBREAPER, on). */
    public static int setChildSubreaper(boolean on) {
        NativeLibrary.load();
        return setChildSubreaper0(on);
    }

    private static native int setChildSubreaper0(boolean on);
}
