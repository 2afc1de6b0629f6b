package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/**
 * Peer of native/thread_affinity.c: CPU affinity of single threads (Linux keeps one per thread;
 * a new thread, and a process spawned from a thread, start with that thread's).
 */
public final class ThreadAffinity {
    private ThreadAffinity() {
    }

    private static native int takeProcessAffinity0();

    /**
     * Gives the calling thread the CPU mask of the process's first thread: the mask the process was
     * started with, rather than the one of the thread that created the caller.
     */
    public static void takeProcessAffinity() throws SystemCallException {
        NativeLibrary.load();
        Errors.check(takeProcessAffinity0(), "sched_setaffinity");
    }
}
