package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.SystemCallException;

/** Binding for native/process_calls.c: identity, exit status and signals through pidfds. */
public final class ProcessCalls {
    /** si_code values of waitid(2). */
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private ProcessCalls() {
    }

    public static int pidfdOpen(int pid) {
        NativeLibrary.load();
        return pidfdOpen0(pid);
    }

    private static native int pidfdOpen0(int pid);

    /** 1 = exited (out[0] si_code, out[1] si_status), 0 = still running (nohang), or -errno. */
    public static int waitidPidfd(int pidfd, boolean nohang, int[] out) {
        NativeLibrary.load();
        return waitidPidfd0(pidfd, nohang, out);
    }

    private static native int waitidPidfd0(int pidfd, boolean nohang, int[] out);

    public static int pidfdSendSignal(int pidfd, int signal) {
        NativeLibrary.load();
        return pidfdSendSignal0(pidfd, signal);
    }

    private static native int pidfdSendSignal0(int pidfd, int signal);

    public static int kill(int pid, int signal) {
        NativeLibrary.load();
        return kill0(pid, signal);
    }

    private static native int kill0(int pid, int signal);

    /** prctl(PR_SET_PDEATHSIG, signal); 0 disarms. */
    public static int setParentDeathSignal(int signal) {
        NativeLibrary.load();
        return setParentDeathSignal0(signal);
    }

    private static native int setParentDeathSignal0(int signal);

    public static int getpid() {
        NativeLibrary.load();
        return getpid0();
    }

    private static native int getpid0();

    public static int getppid() {
        NativeLibrary.load();
        return getppid0();
    }

    private static native int getppid0();

    public static int checkedPidfdOpen(int pid) throws SystemCallException {
        return Errors.check(pidfdOpen(pid), "pidfd_open");
    }

    /**
     * Python's exit code from waitid's si_code/si_status: the status for a normal exit,
     * minus the signal number for a death by signal.
     */
    public static int exitCode(int siCode, int siStatus) {
        return siCode == CLD_EXITED ? siStatus : -siStatus;
    }
}
