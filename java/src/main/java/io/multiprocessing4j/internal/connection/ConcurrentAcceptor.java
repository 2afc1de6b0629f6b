package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.threads.LibraryThreads;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Accepts connections and runs their handshakes (an authentication, a token) concurrently, each
 * on a thread of its own with a deadline, so that a client that connects and says nothing holds
 * one slot until its deadline, never the callers of {@link #accept()} or the clients behind it.
 *
 * <p>At most {@code maxPending} handshakes run at once; while that many are pending, further
 * clients wait in the kernel's backlog. A peer whose uid is not the required one (SO_PEERCRED,
 * when a uid is required) is refused before a byte of it is read. A raw connection is accepted
 * only while a caller of {@link #accept()} is waiting with no completed handshake to take, so
 * that a listener nobody accepts on leaves clients in the backlog, where
 * {@code Multiprocessing.wait} sees them.
 *
 * @param <T> what a completed handshake yields (a connection)
 */
public final class ConcurrentAcceptor<T> {
    /** One handshake on a freshly accepted socket; the acceptor closes the fd if it throws. */
    public interface Handshake<T> {
        T run(OwnedFd fd, long deadlineNanos) throws IOException;
    }

    /** How often an acceptor with handshakes pending checks whether it still needs to accept. */
    private static final long RECHECK_NANOS = 50_000_000L;
    private static final AtomicLong THREADS = new AtomicLong();

    private final ListeningSocket socket;
    private final String name;
    private final Handshake<T> handshake;
    private final Consumer<T> discard;
    private final int maxPending;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Completed handshakes not yet taken: a T, or the Throwable a handshake failed with. */
    private final ArrayDeque<Object> results = new ArrayDeque<>();
    /** The sockets of the handshakes under way, to cut them short at close. */
    private final java.util.Set<OwnedFd> inHandshake = new java.util.HashSet<>();
    private volatile long timeoutNanos;
    private volatile int requiredUid = -1;
    private int waiting;
    private int pending;
    private boolean closed;
    private Thread acceptor;

    public ConcurrentAcceptor(ListeningSocket socket, String name, Handshake<T> handshake, Consumer<T> discard,
                              int maxPending, long timeoutNanos) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending " + maxPending);
        }
        this.socket = socket;
        this.name = name;
        this.handshake = handshake;
        this.discard = discard;
        this.maxPending = maxPending;
        this.timeoutNanos = timeoutNanos;
    }

    /** The deadline of each handshake from when it starts; negative: none. */
    public void setTimeoutNanos(long nanos) {
        this.timeoutNanos = nanos;
    }

    /** Refuses, unread, every peer whose uid is not {@code uid} (-1: any uid). */
    public void requirePeerUid(int uid) {
        if (uid >= 0 && !socket.transport().carriesFds()) {
            throw new IllegalStateException("peer credentials exist only on AF_UNIX sockets, not " + socket.transport());
        }
        this.requiredUid = uid;
    }

    /**
     * The next connection whose handshake succeeded, blocking until there is one. A handshake that
     * failed (or a refused peer) is reported by one call as its exception ({@link IOException}s as
     * they are, anything else wrapped in an {@link AuthenticationException}); the caller may call
     * again for the next. Throws {@link AsynchronousCloseException} once closed.
     */
    public T accept() throws IOException {
        boolean interrupted = false;
        lock.lock();
        try {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            startAcceptorIfNeeded();
            waiting++;
            changed.signalAll();
            try {
                while (results.isEmpty() && !closed) {
                    try {
                        changed.await();
                    } catch (InterruptedException e) {
                        interrupted = true; // as before: accept does not react to an interrupt
                    }
                }
            } finally {
                waiting--;
            }
            if (closed) {
                throw new AsynchronousCloseException();
            }
            Object result = results.poll();
            changed.signalAll();
            if (result instanceof Throwable) {
                Throwable failure = (Throwable) result;
                if (failure instanceof IOException) {
                    throw (IOException) failure;
                }
                throw new AuthenticationException("handshake failed: " + failure, failure);
            }
            @SuppressWarnings("unchecked")
            T connection = (T) result;
            return connection;
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a completed handshake is waiting to be taken by {@link #accept()}. */
    public boolean hasResult() {
        lock.lock();
        try {
            return !results.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops: callers of {@link #accept()} throw, connections handed over by no call are discarded,
     * and handshakes still running discard theirs when they end. The owner closes the socket.
     */
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            for (Object result : results) {
                discardResult(result);
            }
            results.clear();
            for (OwnedFd fd : inHandshake) {
                int number = fd.acquire(); // wakes the handshake's blocked read; it then fails and is discarded
                if (number >= 0) {
                    try {
                        Sockets.shutdown(number, Sockets.SHUT_RDWR);
                    } finally {
                        fd.release();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void startAcceptorIfNeeded() {
        if (acceptor == null) {
            String threadName = LibraryThreads.NAME_PREFIX + name + "-acceptor-" + THREADS.incrementAndGet();
            acceptor = LibraryThreads.daemon(threadName, this::acceptWhileNeeded);
            acceptor.start();
        }
    }

    private void acceptWhileNeeded() {
        while (true) {
            boolean mayBlock;
            lock.lock();
            try {
                // a pending handshake may never succeed: accept on while a caller has nothing to take
                while (!closed && !(waiting > results.size() && pending < maxPending)) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                // with none pending, nothing but a new client can satisfy the waiting callers
                mayBlock = pending == 0;
            } finally {
                lock.unlock();
            }
            OwnedFd fd;
            try {
                fd = mayBlock ? socket.accept() : socket.acceptWithin(RECHECK_NANOS);
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    close();
                    return;
                }
                deliver(e);
                continue;
            }
            if (fd != null) {
                start(fd);
            }
        }
    }

    private void start(OwnedFd fd) {
        int uid = requiredUid;
        if (uid >= 0) {
            try {
                PeerCredentials peer = PeerCredentials.of(fd);
                if (peer.uid != uid) {
                    fd.close();
                    deliver(new AuthenticationException("refused a peer of another user (" + peer
                            + "): this endpoint serves uid " + uid + " only"));
                    return;
                }
            } catch (IOException e) {
                fd.close();
                deliver(new AuthenticationException("cannot read the peer's credentials: " + e, e));
                return;
            }
        }
        long timeout = timeoutNanos;
        long deadline = timeout < 0 ? FrameReader.NO_DEADLINE : System.nanoTime() + timeout;
        lock.lock();
        try {
            if (closed) {
                fd.close();
                return;
            }
            pending++;
            inHandshake.add(fd);
        } finally {
            lock.unlock();
        }
        String threadName = LibraryThreads.NAME_PREFIX + name + "-handshake-" + THREADS.incrementAndGet();
        Thread thread = LibraryThreads.daemon(threadName, () -> {
            Object result;
            try {
                result = handshake.run(fd, deadline);
            } catch (Throwable failure) {
                fd.close();
                result = failure;
            }
            lock.lock();
            try {
                pending--;
                inHandshake.remove(fd);
                if (closed) {
                    discardResult(result);
                } else {
                    results.add(result);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        });
        thread.start();
    }

    private void deliver(Throwable failure) {
        lock.lock();
        try {
            if (!closed) {
                results.add(failure);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private void discardResult(Object result) {
        if (!(result instanceof Throwable)) {
            discard.accept((T) result);
        }
    }
}
