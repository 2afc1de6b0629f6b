package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.SocketEndpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A listening socket: binds, listens, accepts; on close, removes the socket file it created (only
 * if the file at that path is still the one it bound, so a listener that took over the path is
 * left alone) and, for a default address, the private directory around it.
 */
public final class ListeningSocket implements Waitable {
    private final FdChannel channel;
    private final SocketAddress address;
    private final Path socketFile;
    private final Object socketFileKey;
    private final Path privateDirectory;

    private ListeningSocket(FdChannel channel, SocketAddress address, Path socketFile, Object socketFileKey,
                            Path privateDirectory) {
        this.channel = channel;
        this.address = address;
        this.socketFile = socketFile;
        this.socketFileKey = socketFileKey;
        this.privateDirectory = privateDirectory;
    }

    /**
     * Binds and listens on {@code address} ({@code abstractName}: the name of an abstract AF_UNIX
     * address, null for other kinds). {@code privateDirectory}, if not null, is a directory
     * created for this listener alone, removed on close.
     */
    public static ListeningSocket open(SocketAddress address, byte[] abstractName, int backlog, Path privateDirectory)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Transport transport = SocketAddresses.transportOf(address, abstractName);
        OwnedFd fd = SocketAddresses.bound(address, abstractName);
        Path socketFile = address instanceof UnixDomainSocketAddress ? ((UnixDomainSocketAddress) address).getPath() : null;
        try {
            Object key = socketFile == null ? null : fileKey(socketFile);
            SocketEndpoints.listen(fd.fd(), backlog);
            SocketAddress actual = address;
            if (address instanceof InetSocketAddress) {
                InetSocketAddress inet = (InetSocketAddress) address;
                actual = new InetSocketAddress(inet.getAddress(), SocketAddresses.localPort(fd.fd()));
            }
            return new ListeningSocket(new FdChannel(fd, transport), actual, socketFile, key, privateDirectory);
        } catch (IOException | RuntimeException e) {
            fd.close();
            if (socketFile != null) {
                Files.deleteIfExists(socketFile);
            }
            throw e;
        }
    }

    /** The bound address (for TCP, with the port actually bound). */
    public SocketAddress address() {
        return address;
    }

    public Transport transport() {
        return channel.transport();
    }

    /** Accepts one connection (close-on-exec; TCP_NODELAY for TCP); blocks until one comes or close. */
    public OwnedFd accept() throws IOException {
        while (true) {
            int fd = channel.beginBlocking();
            int accepted;
            try {
                // Parked until a client is there; accept(2) itself would hold a virtual thread's carrier.
                ReadinessPoller.awaitReadable(fd, -1, true);
                accepted = SocketEndpoints.accept(fd);
            } catch (SystemCallException e) {
                IOException closed = channel.closedDuringCall();
                throw closed != null ? closed : e;
            } finally {
                channel.endBlocking();
            }
            if (accepted == SocketEndpoints.ABORTED) {
                continue; // a client that gave up before we accepted: next one
            }
            OwnedFd owned = new OwnedFd(accepted);
            if (channel.transport() == Transport.TCP_SOCKET) {
                try {
                    SocketEndpoints.setTcpNoDelay(accepted);
                } catch (SystemCallException e) {
                    owned.close();
                    throw e;
                }
            }
            return owned;
        }
    }

    /**
     * Like {@link #accept()}, but waits at most {@code timeoutNanos} for a client to arrive;
     * returns null if none did.
     */
    public OwnedFd acceptWithin(long timeoutNanos) throws IOException {
        int fd = channel.beginBlocking();
        int events;
        try {
            events = FileDescriptors.pollOne(fd, FileDescriptors.POLLIN, timeoutNanos);
        } finally {
            channel.endBlocking();
        }
        IOException closed = channel.closedDuringCall();
        if (closed != null) {
            throw closed;
        }
        return events == 0 ? null : accept();
    }

    @Override
    public FdChannel fdChannel() {
        return channel;
    }

    @Override
    public boolean readyWithoutWaiting() {
        return false;
    }

    public boolean isClosed() {
        return channel.isClosed();
    }

    /** Stops listening (waking a blocked accept) and removes what the listener put on disk. */
    public void close() throws IOException {
        if (channel.isClosed()) {
            return;
        }
        channel.close();
        if (socketFile != null && socketFileKey != null) {
            try {
                if (socketFileKey.equals(fileKey(socketFile))) {
                    Files.deleteIfExists(socketFile);
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // already removed by someone else
            }
        }
        if (privateDirectory != null) {
            Files.deleteIfExists(privateDirectory);
        }
    }

    /** The identity of a file (device and inode), to recognize our socket file later. */
    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    @Override
    public String toString() {
        return "listening " + channel.transport() + " on " + address + (channel.isClosed() ? " (closed)" : "");
    }
}
