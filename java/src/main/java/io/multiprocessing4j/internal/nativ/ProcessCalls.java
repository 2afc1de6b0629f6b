package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.SystemCallException;

/** Binding for native/process.c: identity, exit status and signals through pidfds. */
public final class ProcessCalls {
    static {
        NativeLibrary.load();
    }

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

    public static native int pidfdOpen(int pid);

    /** 1 = exited (out[0] si_code, out[1] si_status), 0 = still running (nohang), or -errno. */
    public static native int waitidPidfd(int pidfd, boolean nohang, int[] out);

    public static native int pidfdSendSignal(int pidfd, int signal);

    public static native int kill(int pid, int signal);

    /** sigaction(signal, SIG_DFL). */
    public static native int signalDefault(int signal);

    /** prctl(PR_SET_PDEATHSIG, signal); 0 disarms. */
    public static native int setParentDeathSignal(int signal);

    public static native int getpid();

    public static native int getppid();

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
