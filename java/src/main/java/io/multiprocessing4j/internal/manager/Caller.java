package io.multiprocessing4j.internal.manager;

/**
 * Who makes a request: a thread ({@code thread}, its id there) of a client process, over the
 * connection served by {@code session}. Locks are held by callers.
 */
record Caller(ClientState client, long thread, Session session) {
    /** Who holds the references that a call hands out: the client's main connection, if known. */
    Object referenceOwner() {
        Object main = client.mainSession;
        return main != null ? main : session;
    }

    boolean sameAs(Caller other) {
        return other != null && other.client == client && other.thread == thread;
    }
}
