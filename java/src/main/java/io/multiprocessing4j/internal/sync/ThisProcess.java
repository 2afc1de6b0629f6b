package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.nativ.ProcessCalls;

/** This process's pid, read once: it is what a lock word records as its holder. */
public final class ThisProcess {
    /** Our JVMs never fork without exec, so the pid cannot change under us. */
    public static final int PID = ProcessCalls.getpid();

    private ThisProcess() {
    }

    /** The calling thread's identity within this process, as lock owners record it. */
    public static long threadId() {
        return Thread.currentThread().getId();
    }
}
