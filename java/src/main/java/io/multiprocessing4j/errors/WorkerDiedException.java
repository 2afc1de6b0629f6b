package io.multiprocessing4j.errors;

/**
 * The worker process running a task ended before the task did: it was killed, called
 * {@code System.exit}, crashed in native code or ran out of memory. It is the cause of the
 * {@link java.util.concurrent.ExecutionException} of that task only; the pool starts a replacement,
 * hands the worker's other tasks (which it had not started) to the remaining workers, and goes on.
 * (CPython's pool hangs for ever in this case.)
 */
public class WorkerDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitCode;

    /** The worker {@code pid} ended with {@code exitCode} (Python's convention: -N for signal N). */
    public WorkerDiedException(String message, long pid, int exitCode) {
        super(message);
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** The pid the worker had. */
    public long pid() {
        return pid;
    }

    /** Its exit code, as {@code ChildProcess.exitCode()} reports it: -9 after SIGKILL, N after {@code System.exit(N)}. */
    public int exitCode() {
        return exitCode;
    }
}
