package io.multiprocessing4j.internal.nativ;

/**
 * Peer of native/memory_holder.c: a process that shares this JVM's memory and ends right after
 * it, so that this JVM's exit is not slowed by freeing its memory (a few milliseconds for a JVM)
 * and its parent hears of the exit at once. The holder is a child of this JVM's parent, which
 * reaps it. See the C file for how it stays out of the way.
 */
public final class MemoryHolder {
    private MemoryHolder() {
    }

    private static native int start0();

    /**
     * Starts this process's holder; its pid, or a negative errno (ENOSYS: a kernel without
     * pidfds). Once per process, from a thread that lives as long as the process.
     */
    public static int start() {
        NativeLibrary.load();
        return start0();
    }
}
