package io.multiprocessing4j.internal.manager;

import java.io.Serializable;

/** The server's answer to one {@link Request}: the result, or the exception the operation threw there. */
public record Response(Object result, Throwable failure) implements Serializable {
    private static final long serialVersionUID = 1L;

    static Response of(Object result) {
        return new Response(result, null);
    }

    static Response failed(Throwable failure) {
        return new Response(null, failure);
    }
}
