package io.multiprocessing4j.support;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * jnr-posix as an independent oracle: it reaches libc through its own binding, so what it says
 * about pids, parents and signals does not depend on the JNI layer under test.
 */
public final class Posix {
    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    public static final int SIGHUP = 1;
    public static final int SIGUSR1 = 10;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int SIGSTOP = 19; // x86-64 and arm64

    private Posix() {
    }

    public static int getpid() {
        return POSIX.getpid();
    }

    public static int getppid() {
        return POSIX.getppid();
    }

    public static int kill(long pid, int signal) {
        return POSIX.kill((int) pid, signal);
    }
}
