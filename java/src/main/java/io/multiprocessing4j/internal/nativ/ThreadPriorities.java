package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/**
 * Peer of native/thread_priorities.c: nice values of single threads (Linux keeps one per thread;
 * a new thread, and a process spawned from a thread, start with that thread's).
 */
public final class ThreadPriorities {
    /** The native side adds this to a nice value (-20..19) to keep it apart from -errno. */
    private static final int OFFSET = 20;

    private ThreadPriorities() {
    }

    private static native int niceOf0(int id);

    private static native int setNice0(int id, int nice);

    /** The nice value of thread {@code tid} (for a process id: its main thread's). */
    public static int niceOf(int tid) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(niceOf0(tid), "getpriority") - OFFSET;
    }

    /**
     * Sets the nice value of thread {@code tid} (0: the calling thread); false when this process
     * may not (lowering a nice value takes CAP_SYS_NICE or a high enough RLIMIT_NICE) or the
     * thread has ended.
     */
    public static boolean setNice(int tid, int nice) throws SystemCallException {
        NativeLibrary.load();
        int result = setNice0(tid, nice);
        if (result == -Errno.EPERM || result == -Errno.EACCES || result == -Errno.ESRCH) {
            return false;
        }
        Errors.check(result, "setpriority");
        return true;
    }
}
