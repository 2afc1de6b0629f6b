package io.multiprocessing4j.internal.transfer;

import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries file descriptors alongside a serialized object graph.
 *
 * <p>An object that owns an fd (a connection, say) cannot be serialized by value: the number
 * means nothing in another process. While a graph is written for another process, its
 * {@code writeReplace} calls {@link #export} and writes the returned index instead; the transport
 * then moves the fds themselves (mapped into the child's fd table at spawn, or sent with
 * SCM_RIGHTS over a connection). On the other side {@code readResolve} calls {@link #claim} with
 * the index and gets the received fd, which it then owns.
 */
public final class FdTransfer {
    private static final ThreadLocal<FdTransfer> ACTIVE = new ThreadLocal<>();

    private final List<OwnedFd> outgoing;
    private final int[] incoming;
    private final boolean[] claimed;

    private FdTransfer(List<OwnedFd> outgoing, int[] incoming) {
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.claimed = incoming == null ? null : new boolean[incoming.length];
    }

    /** A transfer that collects the fds of a graph being written. */
    public static FdTransfer forWriting() {
        return new FdTransfer(new ArrayList<>(), null);
    }

    /** A transfer that hands out fds received with a graph being read (ownership passes to claimers). */
    public static FdTransfer forReading(int[] receivedFds) {
        return new FdTransfer(null, receivedFds.clone());
    }

    /** Makes this the active transfer of the calling thread until {@link #deactivate()}. */
    public FdTransfer activate() {
        if (ACTIVE.get() != null) {
            throw new IllegalStateException("an fd transfer is already active on this thread");
        }
        ACTIVE.set(this);
        return this;
    }

    public void deactivate() {
        ACTIVE.remove();
    }

    /**
     * Registers {@code owner}'s fd to travel with the graph being written by the calling thread's
     * active transfer; returns its index (see {@link #exportFd}).
     */
    public static int export(OwnedFd owner, String what) throws NotSerializableException {
        FdTransfer transfer = ACTIVE.get();
        if (transfer == null || transfer.outgoing == null) {
            throw new NotSerializableException(what + " holds a file descriptor and can only be passed to"
                    + " another process of ours: captured by a ChildProcess target, or sent through a Connection");
        }
        return transfer.exportFd(owner, what);
    }

    /**
     * Registers {@code owner}'s fd to travel with what this transfer accompanies; returns its
     * index. The fd is kept open (acquired) until {@link #releaseExported()}, even if its owner is
     * closed.
     */
    public int exportFd(OwnedFd owner, String what) throws NotSerializableException {
        if (outgoing == null) {
            throw new IllegalStateException("a transfer for reading exports nothing");
        }
        if (owner.acquire() < 0) {
            throw new NotSerializableException(what + " is closed");
        }
        outgoing.add(owner);
        return outgoing.size() - 1;
    }

    /** Takes ownership of the fd that travelled under {@code index}, from the calling thread's active transfer. */
    public static int claim(int index, String what) throws InvalidObjectException {
        FdTransfer transfer = ACTIVE.get();
        if (transfer == null || transfer.incoming == null) {
            throw new InvalidObjectException(what + " can only be deserialized where its file descriptor arrives");
        }
        return transfer.claimFd(index, what);
    }

    /** Takes ownership of the fd that travelled under {@code index}; each index is claimed once. */
    public int claimFd(int index, String what) throws InvalidObjectException {
        if (incoming == null) {
            throw new InvalidObjectException(what + " can only be read where its file descriptor arrives");
        }
        if (index < 0 || index >= incoming.length || claimed[index]) {
            throw new InvalidObjectException(what + " refers to file descriptor #" + index + " of "
                    + incoming.length + " received");
        }
        claimed[index] = true;
        return incoming[index];
    }

    /** The fds of the written graph, in index order. */
    public int[] exportedFds() {
        int[] fds = new int[outgoing.size()];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = outgoing.get(i).fd();
        }
        return fds;
    }

    /** Ends the hold taken by {@link #export}; call once the fds have been handed over. */
    public void releaseExported() {
        for (OwnedFd owner : outgoing) {
            owner.release();
        }
        outgoing.clear();
    }

    /** Closes received fds that no object claimed, so that a failed read leaks nothing. */
    public void closeUnclaimed() {
        for (int i = 0; i < incoming.length; i++) {
            if (!claimed[i]) {
                claimed[i] = true;
                FileDescriptors.closeQuietly(incoming[i]);
            }
        }
    }
}
