package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/**
 * The other end of a pipe or socket is gone: EPIPE on a write, ECONNRESET on a read or write. A
 * {@link SystemCallException} like any other failure of a call (its message and {@link #errnoName()}
 * are the call's), of its own type so that a caller for whom a vanished peer is an ordinary end
 * (a child whose parent left, a resource tracker that exited) can tell it apart without errno.
 */
public final class PeerGoneException extends SystemCallException {
    private static final long serialVersionUID = 1L;

    PeerGoneException(String call, int errno, String errnoName, String description) {
        super(call, errno, errnoName, description);
    }
}
