package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/**
 * The filesystem has no room for what a call was to reserve (ENOSPC; a size past the file size
 * limit, EFBIG, counts the same): a {@link SystemCallException} of its own type, so that a caller
 * that can wait for room or do without (a queue spilling into /dev/shm) can tell it apart without
 * errno.
 */
public final class NoSpaceException extends SystemCallException {
    private static final long serialVersionUID = 1L;

    /** {@code call} found no room; {@code description} says how much was wanted and what is free. */
    public NoSpaceException(String call, String description) {
        super(call, Errno.ENOSPC, "ENOSPC", description);
    }
}
