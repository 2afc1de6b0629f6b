package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.pool.RemoteFailures;
import java.io.IOException;
import java.io.ObjectStreamException;

/**
 * One client connection of a manager's server, served on its own thread: requests are answered
 * one at a time, in order. The references the client's proxies hold are counted under this
 * session, and all given back when the connection closes, however the client ended.
 */
final class Session implements Runnable {
    private final Connection connection;
    private final ObjectTable objects;
    private final Runnable shutdown;
    /** The client this connection belongs to, once it said hello. */
    private ClientState client;

    Session(Connection connection, ObjectTable objects, Runnable shutdown) {
        this.connection = connection;
        this.objects = objects;
        this.shutdown = shutdown;
    }

    @Override
    public void run() {
        try (connection) {
            while (true) {
                Response response;
                Request request = null;
                try {
                    Object message = ManagerWire.recv(connection);
                    if (!(message instanceof Request)) {
                        throw new IllegalArgumentException("a manager expects requests, not " + message);
                    }
                    request = (Request) message;
                    response = Response.of(handle(request));
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
        } finally {
            objects.dropAll(this);
            if (client != null) {
                objects.clientDied(client); // its process exited, died, or closed its manager
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
            return objects.apply(request.objectId(), request.operation(), args, caller(request));
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
            case Operations.SHUTDOWN: return null;
            default: throw new UnsupportedOperationException("no server operation '" + request.operation() + "'");
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
