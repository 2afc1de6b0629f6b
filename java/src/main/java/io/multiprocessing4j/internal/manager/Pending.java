package io.multiprocessing4j.internal.manager;

/**
 * The server's answer to a blocking operation whose wait slice ran out before it could complete
 * (see {@link Waits}): the client decides whether to ask again, time out, or give up because it
 * was interrupted. Never a user's value: no code outside this package can make one.
 */
public enum Pending {
    NOT_YET
}
