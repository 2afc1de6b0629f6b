package io.multiprocessing4j.internal.manager;

import java.util.concurrent.atomic.LongAdder;

/**
 * One client process (one {@code ManagerConnection} there), however many connections it has
 * open: its main one and one per thread that made a blocking call. When any of them closes, the
 * process has exited, died or let the manager go, and {@link #died} is set before the objects
 * are told (see {@link ObjectTable#clientDied}), so that a lock granted to it afterwards is
 * given back at once instead of being held for ever.
 */
final class ClientState {
    final long id;
    volatile boolean died;
    /** The session of its main connection, which holds its references (null until it says hello). */
    volatile Object mainSession;
    /** Requests for operations on shared objects read from it (see {@link Operations#OPERATIONS_REQUESTED}). */
    final LongAdder operationsRequested = new LongAdder();

    ClientState(long id) {
        this.id = id;
    }
}
