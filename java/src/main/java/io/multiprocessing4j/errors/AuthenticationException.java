package io.multiprocessing4j.errors;

import java.io.IOException;

/**
 * The peer of a {@link io.multiprocessing4j.connection.Listener} or {@link io.multiprocessing4j.connection.Client} failed to prove that it knows the authkey, or
 * rejected our proof (Python's {@code AuthenticationError}). The connection has been closed; a
 * listener goes on accepting others.
 */
public class AuthenticationException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A failed authentication, {@code message} saying which side failed and how. */
    public AuthenticationException(String message) {
        super(message);
    }

    /** A failed authentication caused by {@code cause} (e.g. the peer closed the connection mid-challenge). */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
