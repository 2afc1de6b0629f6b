package io.multiprocessing4j.internal.transfer;

import io.multiprocessing4j.internal.nativ.OwnedFd;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * A file descriptor a target carries to its child for the library's own use (a pool worker's end
 * of the socketpair to its pool). It travels beside the target ({@link FdTransfer}) in either
 * form of the target: the compact one ({@link LambdaCodec} knows it) and Java serialization. The
 * child takes the fd once; a copy never taken is closed with {@link #close()} (or, failing that,
 * by its {@link OwnedFd}'s cleaner).
 */
public final class CarriedFd implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;
    static final String WHAT = "a carried file descriptor";

    private final transient OwnedFd fd;
    private transient boolean taken;

    private CarriedFd(OwnedFd fd) {
        this.fd = fd;
    }

    /** Carries {@code fd}, which this object now owns. */
    public static CarriedFd of(OwnedFd fd) {
        return new CarriedFd(fd);
    }

    /** The fd, whose ownership passes to the caller; once only. */
    public synchronized OwnedFd take() {
        if (taken) {
            throw new IllegalStateException(WHAT + " can be taken once");
        }
        taken = true;
        return fd;
    }

    /** The fd, kept open until the transfer is released, for a target written with {@code transfer}. */
    int exportTo(FdTransfer transfer) throws java.io.NotSerializableException {
        return transfer.exportFd(fd, WHAT);
    }

    /** The carried fd of the received index {@code index}, claimed from {@code transfer}. */
    static CarriedFd claimFrom(FdTransfer transfer, int index) throws InvalidObjectException {
        return new CarriedFd(new OwnedFd(transfer.claimFd(index, WHAT)));
    }

    /** Closes the fd unless it was taken. */
    @Override
    public synchronized void close() {
        if (!taken) {
            taken = true;
            fd.close();
        }
    }

    private Object writeReplace() throws ObjectStreamException {
        return new Index(FdTransfer.export(fd, WHAT));
    }

    private void readObject(java.io.ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException(WHAT + " travels as the index of its fd only");
    }

    /** The serialized form: which of the fds travelling beside the graph is this one. */
    private static final class Index implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int index;

        Index(int index) {
            this.index = index;
        }

        private Object readResolve() throws ObjectStreamException {
            return new CarriedFd(new OwnedFd(FdTransfer.claim(index, WHAT)));
        }
    }
}
