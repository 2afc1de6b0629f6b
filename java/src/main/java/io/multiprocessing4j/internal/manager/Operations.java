package io.multiprocessing4j.internal.manager;

/** The names of the server-level operations (those on object id 0), shared by both ends. */
final class Operations {
    static final long SERVER = 0;
    /** args: the {@link SharedKind}, the initial content; answers the new object's id, held once by the caller. */
    static final String CREATE = "create";
    /** No arguments: only delivers the acquires and releases a request carries. */
    static final String FLUSH = "flush";
    /** How many shared objects the server holds (for tests and debugging: Python's _number_of_objects). */
    static final String NUMBER_OF_OBJECTS = "numberOfObjects";
    /**
     * args: the client process's id (random, the same on all its connections), and whether this
     * is its main connection (the one holding its references). The first request on every connection.
     */
    static final String HELLO = "hello";
    /**
     * How many requests for operations on shared objects the server has read from the calling
     * client process, over all its connections (for tests: a wait is one request).
     */
    static final String OPERATIONS_REQUESTED = "operationsRequested";
    /** Stops accepting connections; the server process exits once it has answered. */
    static final String SHUTDOWN = "shutdown";

    private Operations() {
    }
}
