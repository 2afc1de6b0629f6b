package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/** Peer of native/reaping.c: finding ended children without reaping them, and subreaping. */
public final class Reaping {
    private Reaping() {
    }

    private static native int peekExitedChild0();

    private static native int setChildSubreaper0(boolean on);

    /**
     * waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT): the pid of a child that has ended, or 0 if none has
     * (no children at all, ECHILD, included).
     */
    public static int peekExitedChild() throws SystemCallException {
        NativeLibrary.load();
        int result = peekExitedChild0();
        return result == -Errno.ECHILD ? 0 : Errors.check(result, "waitid(P_ALL)");
    }

    /** prctl(PR_SET_CHILD_SUBREAPER, on). */
    public static void setChildSubreaper(boolean on) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(setChildSubreaper0(on), "prctl(PR_SET_CHILD_SUBREAPER)");
    }
}
