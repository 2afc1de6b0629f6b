package io.multiprocessing4j.internal.nativ;

/** Peer of native/process_exit.c: {@code _exit(2)}, without the JVM's exit sequence. */
public final class ProcessExit {
    private ProcessExit() {
    }

    private static native void exitNow0(int status);

    /**
     * Ends this process with {@code status} at once: no shutdown hook, no JVM exit-time action,
     * no flush of Java streams. The caller has done whatever had to happen before.
     */
    public static void exitNow(int status) {
        NativeLibrary.load();
        exitNow0(status);
    }
}
