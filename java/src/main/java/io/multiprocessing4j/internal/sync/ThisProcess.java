package io.multiprocessing4j.internal.sync;

/** This process's pid, read once: it is what a lock word records as its holder. */
public final class ThisProcess {
    /**
     * Our JVMs never fork without exec, so the pid cannot change under us. Read through the JDK,
     * not our library: a class whose initializer needs the library would be unusable for good
     * after a failed load, where each call should report why it failed.
     */
    public static final int PID = (int) ProcessHandle.current().pid();

    private ThisProcess() {
    }

    /** The calling thread's identity within this process, as lock owners record it. */
    public static long threadId() {
        return Thread.currentThread().getId();
    }
}
