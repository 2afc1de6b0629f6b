package io.multiprocessing4j.internal.manager;

/**
 * A shared object that does its own locking in the server (locks, queues, ...), because some of
 * its operations wait: the server calls it without holding any monitor of its own.
 */
interface ServerObject {
    /** Runs {@code operation} for {@code caller} and returns its result (or {@link Pending#NOT_YET}). */
    Object apply(String operation, Object[] args, Caller caller);

    /** Gives back whatever {@code client}, which has gone, holds here. */
    default void clientDied(ClientState client) {
    }

    /** The last reference is gone and the table has dropped this object: let go of what it holds. */
    default void freed() {
    }
}
