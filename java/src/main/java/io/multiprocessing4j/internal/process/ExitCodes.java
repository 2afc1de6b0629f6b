package io.multiprocessing4j.internal.process;

/** Python's way of showing an exit code: {@code -SIGTERM} rather than {@code -15}. */
public final class ExitCodes {
    private static final String[] SIGNALS = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    private ExitCodes() {
    }

    public static String describe(int exitCode) {
        if (exitCode == ChildHandle.EXIT_CODE_UNKNOWN) {
            return "unknown";
        }
        if (exitCode < 0 && -exitCode < SIGNALS.length) {
            return "-" + SIGNALS[-exitCode];
        }
        return Integer.toString(exitCode);
    }
}
