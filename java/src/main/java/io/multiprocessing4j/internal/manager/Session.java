package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.pool.RemoteFailures;
import java.io.IOException;
import java.io.ObjectStreamException;

/**
 * One client connection of a manager's server, served on its own thread: requests are answered
 * one at a time, in order. The references the client's proxies hold are counted under this
 * session, and all given back when the connection closes, however the client ended.
 *
 * <p>While a request waits (see {@link Waits}), the {@link SessionWatcher} watches the connection:
 * the client's cancel, or its end, interrupts the wait, which answers "not yet". A cancel that
 * comes after the answer (the result won the race) is read as the next message and dropped
 * unanswered, so the connection stays in step.
 */
final class Session implements Runnable {
    private final Connection connection;
    private final ObjectTable objects;
    private final Runnable shutdown;
    private final SessionWatcher watcher;
    /** The thread serving this session (set as it starts). */
    private volatile Thread thread;
    /** The client this connection belongs to, once it said hello. */
    private ClientState client;
    /** Whether the current request's wait is watched for a cancel, and under which key (this thread only). */
    private boolean watched;
    private long watchKey;
    /** Whether input came for the current request before its watch began (this thread only). */
    private boolean cancelled;

    Session(Connection connection, ObjectTable objects, Runnable shutdown, SessionWatcher watcher) {
        this.connection = connection;
        this.objects = objects;
        this.shutdown = shutdown;
        this.watcher = watcher;
    }

    Thread thread() {
        return thread;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try (connection) {
            int fd = connection.fileno();
            try {
                serve();
            } finally {
                watcher.forget(fd); // before the close: the fd's number may be reused at once
            }
        } finally {
            objects.dropAll(this);
            if (client != null) {
                objects.clientDied(client); // its process exited, died, or closed its manager
            }
        }
    }

    private void serve() {
        while (true) {
            Response response;
            Request request = null;
            try {
                Object message = ManagerWire.recv(connection);
                if (message == ManagerWire.Cancel.REQUEST) {
                    continue; // for a request answered already: nothing to answer
                }
                if (!(message instanceof Request)) {
                    throw new IllegalArgumentException("a manager expects requests, not " + message);
                }
                request = (Request) message;
                try {
                    response = Response.of(handle(request));
                } finally {
                    stopWatching();
                }
            } catch (ObjectStreamException unreadable) {
                // the request's arguments could not be deserialized here (a class the server
                // lacks, say): the message was consumed, the connection is still in step
                response = Response.failed(unreadable);
            } catch (IOException closed) {
                return; // the client has gone (EOF), or the connection broke
            } catch (RuntimeException | Error e) {
                response = Response.failed(e);
            }
            if (!answer(response)) {
                return;
            }
            if (request != null && Operations.SHUTDOWN.equals(request.operation())) {
                shutdown.run(); // after answering, so that the caller hears it done
            }
        }
    }

    private Object handle(Request request) {
        long[] acquires = request.acquires();
        if (acquires != null) {
            for (long id : acquires) {
                objects.increfIfPresent(id, this); // if already freed, the proxy's first call says so
            }
        }
        long[] releases = request.releases();
        if (releases != null) {
            for (long id : releases) {
                objects.decref(id, this);
            }
        }
        Object[] args = request.args();
        if (request.objectId() != Operations.SERVER) {
            Caller caller = caller(request);
            client.operationsRequested.increment();
            return objects.apply(request.objectId(), request.operation(), args, caller);
        }
        switch (request.operation()) {
            case Operations.HELLO:
                if (client != null) {
                    throw new IllegalStateException("this connection has said hello already");
                }
                client = objects.client((Long) args[0]);
                if ((Boolean) args[1]) {
                    client.mainSession = this;
                }
                return null;
            case Operations.CREATE: return objects.create((SharedKind) args[0], args[1], this);
            case Operations.FLUSH: return null;
            case Operations.NUMBER_OF_OBJECTS: return objects.size();
            case Operations.OPERATIONS_REQUESTED:
                return client == null ? 0L : client.operationsRequested.sum();
            case Operations.SHUTDOWN: return null;
            default: throw new UnsupportedOperationException("no server operation '" + request.operation() + "'");
        }
    }

    /**
     * Called by this session's thread as its request is about to wait: from now until the request
     * is answered, a cancel from the client or its end interrupts the wait. False if the wait is
     * cancelled already: input (a cancel, or the end) is here.
     */
    boolean watchForCancel() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a wait watches the session of its own request, not " + this);
        }
        if (!watched) {
            watched = true;
            watchKey = watcher.arm(this, connection.fileno());
            try {
                // read ahead with the request, or sent before the watch began: no report will come
                cancelled = connection.poll();
            } catch (IOException broken) {
                cancelled = true;
            }
        }
        return !cancelled && !thread.isInterrupted();
    }

    private void stopWatching() {
        if (watched) {
            watched = false;
            cancelled = false;
            watcher.disarm(watchKey, connection.fileno());
        }
    }

    private Caller caller(Request request) {
        if (client == null) {
            client = objects.client(-System.identityHashCode(this) - 1L); // a client that never said hello
        }
        return new Caller(client, request.thread(), this);
    }

    /** Sends {@code response}; false if the client has gone. */
    private boolean answer(Response response) {
        try {
            ManagerWire.send(connection, response);
            return true;
        } catch (ObjectStreamException notSerializable) {
            // nothing was sent: an exception (or, in theory, a result) that cannot travel as itself
            Throwable failure = response.failure() != null ? response.failure() : notSerializable;
            try {
                ManagerWire.send(connection, Response.failed(RemoteFailures.serializableCopy(failure)));
                return true;
            } catch (IOException e) {
                return false;
            }
        } catch (IOException gone) {
            return false;
        }
    }
}
