package io.multiprocessing4j.internal.connection;

/** Something {@code Multiprocessing.wait} can wait for: an fd to poll, and maybe input already buffered. */
public interface Waitable {
    /** The fd to poll for readability (begin/end a call around the poll). */
    FdChannel fdChannel();

    /** True when a receive would find input without asking the kernel (it was read ahead). */
    boolean readyWithoutWaiting();
}
