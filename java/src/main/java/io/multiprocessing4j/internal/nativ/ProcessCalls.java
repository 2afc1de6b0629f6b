package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/**
 * Peer of native/process_calls.c: identity, exit status and signals through pidfds. A process
 * that is gone is a result ({@link #GONE}, false); other failures throw a
 * {@link SystemCallException} naming the call, as {@link Errors} describes.
 */
public final class ProcessCalls {
    /** si_code values of waitid(2). */
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    /** {@link #pidfdOpen}: no such process (ESRCH). */
    public static final int GONE = -1;

    /** {@link #waitidPidfd}: the process ended; out[0] is si_code, out[1] si_status. */
    public static final int EXITED = 1;
    /** {@link #waitidPidfd} with nohang: the process still runs. */
    public static final int RUNNING = 0;
    /** {@link #waitidPidfd}: the status is not ours to collect any more (ECHILD: reaped elsewhere). */
    public static final int REAPED_ELSEWHERE = -1;

    private ProcessCalls() {
    }

    private static native int pidfdOpen0(int pid);

    private static native int waitidPidfd0(int pidfd, boolean nohang, int[] out);

    private static native int pidfdSendSignal0(int pidfd, int signal);

    private static native int kill0(int pid, int signal);

    private static native int setParentDeathSignal0(int signal);

    private static native int getpid0();

    private static native int getppid0();

    /** pidfd_open(pid): a close-on-exec pidfd, or {@link #GONE}. */
    public static int pidfdOpen(int pid) throws SystemCallException {
        NativeLibrary.load();
        int fd = pidfdOpen0(pid);
        if (fd >= 0) {
            return fd; // no message built on success: its concatenation's first use costs milliseconds
        }
        return fd == -Errno.ESRCH ? GONE : Errors.check(fd, "pidfd_open(" + pid + ")");
    }

    /**
     * waitid(P_PIDFD): {@link #EXITED} (status in {@code out}), {@link #RUNNING} (with
     * {@code nohang}), or {@link #REAPED_ELSEWHERE}.
     */
    public static int waitidPidfd(int pidfd, boolean nohang, int[] out) throws SystemCallException {
        NativeLibrary.load();
        int result = waitidPidfd0(pidfd, nohang, out);
        return result == -Errno.ECHILD ? REAPED_ELSEWHERE : Errors.check(result, "waitid(P_PIDFD)");
    }

    /** pidfd_send_signal: false when the process has ended already (ESRCH). */
    public static boolean pidfdSendSignal(int pidfd, int signal) throws SystemCallException {
        NativeLibrary.load();
        int result = pidfdSendSignal0(pidfd, signal);
        if (result == -Errno.ESRCH) {
            return false;
        }
        Errors.check(result, "pidfd_send_signal");
        return true;
    }

    /**
     * Whether a process {@code pid} exists, by kill(pid, 0): it does when the call works or is
     * refused (EPERM: somebody else's process). A zombie exists too.
     */
    public static boolean exists(int pid) {
        NativeLibrary.load();
        int result = kill0(pid, 0);
        return result == 0 || result == -Errno.EPERM;
    }

    /** prctl(PR_SET_PDEATHSIG, signal); 0 disarms. */
    public static void setParentDeathSignal(int signal) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(setParentDeathSignal0(signal), "prctl(PR_SET_PDEATHSIG)");
    }

    public static int getpid() {
        NativeLibrary.load();
        return getpid0();
    }

    public static int getppid() {
        NativeLibrary.load();
        return getppid0();
    }
}
