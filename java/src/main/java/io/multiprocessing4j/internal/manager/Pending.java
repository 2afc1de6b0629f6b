package io.multiprocessing4j.internal.manager;

/**
 * The server's answer to a blocking operation that did not complete: its time ran out, or the
 * client cancelled it (see {@link Waits}). Nothing was taken. The client times out, or throws
 * {@link InterruptedException} if it cancelled. Never a user's value: no code outside this
 * package can make one.
 */
public enum Pending {
    NOT_YET
}
