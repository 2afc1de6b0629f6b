package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.connection.ClientSocket;
import io.multiprocessing4j.internal.time.Durations;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectStreamException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The conversation with a manager's server over one connection: opening a connection and saying
 * who we are, and one request with its answer. Interrupts do not cut it short: an answer left
 * unread would be taken by the next request as its own. An interrupt stays pending; a request
 * that waits in the server is cancelled by it (see {@link #exchangeCancellable}), and still
 * gets its answer. Which connection, and what a lost one means, is the {@link ManagerConnection}'s affair.
 */
final class ManagerExchange {
    private final SocketAddress address;
    private final byte[] authkey;
    /** This process's id at the server (the same on all its connections). */
    private final long clientId;
    /** Turns a connection lost mid-exchange into the exception the caller throws (and breaks the owner). */
    private final Function<IOException, IllegalStateException> lost;

    ManagerExchange(SocketAddress address, byte[] authkey, long clientId,
                    Function<IOException, IllegalStateException> lost) {
        this.address = address;
        this.authkey = authkey;
        this.clientId = clientId;
        this.lost = lost;
    }

    /** A request that could not be sent, as an argument cannot be serialized: nothing reached the server. */
    static final class NotSent extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A new connection to the server, greeted: {@code main} says whether it is the one that holds
     * this process's references. Closed again if the greeting fails.
     */
    Connection open(boolean main) throws IOException {
        return greet(connect(), main, false, ClientSocket.NO_DEADLINE);
    }

    /**
     * As {@link #open}, for a caller that asked for the connection itself ({@code Manager.connect}),
     * where nothing is in flight yet to keep in step: an interrupt ends the wait
     * ({@link InterruptedIOException}), and with a {@code timeout} (null for none) the connect,
     * the authentication and the greeting's answer together take at most that long
     * ({@link SocketTimeoutException}, or an {@code AuthenticationException} that says so): a peer
     * that is not a manager's server and says nothing never holds the caller.
     */
    Connection openInterruptibly(boolean main, Duration timeout) throws IOException {
        long deadline = ClientSocket.deadline(timeout);
        Connection fresh = timeout == null ? Client.connect(address, authkey) : Client.connect(address, authkey, timeout);
        return greet(fresh, main, true, deadline);
    }

    /**
     * Says who we are on {@code fresh} and reads the answer: interruptibly or not, and by
     * {@code deadline} ({@link ClientSocket#NO_DEADLINE} for none). Closes the connection if the greeting fails.
     */
    private Connection greet(Connection fresh, boolean main, boolean interruptible, long deadline) throws IOException {
        try {
            ManagerWire.send(fresh, new Request(Operations.SERVER, Operations.HELLO, new Object[] {clientId, main},
                    null, null, threadId()));
            if (deadline != ClientSocket.NO_DEADLINE && !fresh.poll(Duration.ofNanos(Durations.remaining(deadline)))) {
                throw new SocketTimeoutException("the manager at " + address + " did not answer this client's greeting in time");
            }
            Response answer = response(interruptible ? ManagerWire.recv(fresh) : awaitAnswer(fresh));
            if (answer.failure() != null) {
                throw new IOException("the manager at " + address + " refused this client: " + answer.failure());
            }
            return fresh;
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    /** A new connection to the server, whatever interrupts the thread gets meanwhile. */
    private Connection connect() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return Client.connect(address, authkey);
                } catch (InterruptedIOException e) {
                    interrupted |= Thread.interrupted(); // that attempt's connection is closed; try again
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One request and its answer on {@code over}, which the caller alone uses meanwhile. Throws
     * {@link NotSent} if an argument cannot be serialized, and what {@code lost} makes of a broken
     * connection.
     */
    Response exchange(Connection over, long objectId, String operation, Object[] args, PendingReferences.Batch refs) {
        send(over, objectId, operation, args, refs);
        return receive(over, operation, false);
    }

    /**
     * As {@link #exchange}, for a request that may wait in the server, and may be cancelled: an
     * interrupt of the thread while the answer is awaited sends a cancel on {@code over}, then
     * the one answer the request still gets is read, whatever it is ("not yet", or a result that
     * won the race), so nothing the server handed over is lost and the connection stays in step.
     * The interrupt status stays set.
     */
    Response exchangeCancellable(Connection over, long objectId, String operation, Object[] args) {
        send(over, objectId, operation, args, null);
        return receive(over, operation, true);
    }

    private void send(Connection over, long objectId, String operation, Object[] args, PendingReferences.Batch refs) {
        try {
            ManagerWire.send(over, new Request(objectId, operation, args, refs == null ? null : refs.acquired,
                    refs == null ? null : refs.released, threadId()));
        } catch (ObjectStreamException e) {
            throw new NotSent("cannot send '" + operation + "' to the manager at " + address
                    + ": an argument is not serializable: " + e, e);
        } catch (IOException e) {
            throw lost.apply(e);
        }
    }

    private Response receive(Connection over, String operation, boolean cancellable) {
        Object answer;
        try {
            answer = cancellable ? awaitAnswerOrCancel(over) : awaitAnswer(over);
        } catch (ObjectStreamException e) {
            // the answer was consumed and cannot be read here; the connection is still in step
            throw new IllegalStateException("the manager at " + address + " answered '" + operation
                    + "' with something this process cannot read: " + e, e);
        } catch (IOException e) {
            throw lost.apply(e);
        }
        return response(answer);
    }

    /**
     * The answer to a request sent on {@code over}; if the thread is interrupted before it comes
     * (no byte of it read), sends a cancel and reads the answer that still comes.
     */
    private static Object awaitAnswerOrCancel(Connection over) throws IOException {
        try {
            return ManagerWire.recv(over);
        } catch (InterruptedIOException e) {
            if (over.isClosed()) {
                throw e;
            }
        }
        ManagerWire.sendCancel(over);
        return awaitAnswer(over);
    }

    /**
     * The answer to a request sent on {@code over}, read whatever interrupts the thread gets
     * meanwhile: an interrupt noticed before the answer's first byte would leave the answer on the
     * connection, where the next request would read it as its own.
     */
    private static Object awaitAnswer(Connection over) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return ManagerWire.recv(over);
                } catch (InterruptedIOException e) {
                    if (over.isClosed()) {
                        throw e;
                    }
                    interrupted |= Thread.interrupted(); // nothing of the answer was read: wait again
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Response response(Object answer) {
        if (!(answer instanceof Response)) {
            throw new IllegalStateException("the manager at " + address + " answered with " + answer + ", not a response");
        }
        return (Response) answer;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
    private static long threadId() {
        return Thread.currentThread().getId();
    }
}
