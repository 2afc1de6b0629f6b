package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.SocketEndpoints;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The addresses a Listener or Client accepts, and the socket calls for each: a socket file
 * ({@link UnixDomainSocketAddress}), a Linux abstract name (the public {@code AbstractUnixAddress},
 * whose name its package passes along as {@code abstractName}), or a TCP address
 * ({@link InetSocketAddress}). {@code abstractName} is null for the other kinds.
 */
final class SocketAddresses {
    /** sun_path holds 108 bytes, including the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;

    private SocketAddresses() {
    }

    static Transport transportOf(SocketAddress address, byte[] abstractName) {
        if (address instanceof UnixDomainSocketAddress || abstractName != null) {
            return Transport.UNIX_SOCKET;
        }
        if (address instanceof InetSocketAddress) {
            return Transport.TCP_SOCKET;
        }
        throw new IllegalArgumentException("unsupported address type " + address.getClass().getName()
                + ": use a UnixDomainSocketAddress (a path), an AbstractUnixAddress or an InetSocketAddress");
    }

    /** A new socket of the address's family, bound to it, or bound and connected. */
    static OwnedFd bound(SocketAddress address, byte[] abstractName) throws IOException {
        return open(address, abstractName, true);
    }

    /**
     * A new socket connected to the address by {@code deadline} ({@link FrameReader#NO_DEADLINE}
     * for none): see {@link SocketConnect}.
     */
    static OwnedFd connected(SocketAddress address, byte[] abstractName, long deadline) throws IOException {
        return open(address, abstractName, false, deadline);
    }

    private static OwnedFd open(SocketAddress address, byte[] abstractName, boolean bind) throws IOException {
        return open(address, abstractName, bind, FrameReader.NO_DEADLINE);
    }

    private static OwnedFd open(SocketAddress address, byte[] abstractName, boolean bind, long deadline)
            throws IOException {
        Transport transport = transportOf(address, abstractName);
        InetSocketAddress inet = transport == Transport.TCP_SOCKET ? resolved((InetSocketAddress) address) : null;
        int family = inet == null ? SocketEndpoints.FAMILY_UNIX
                : inet.getAddress() instanceof Inet6Address ? SocketEndpoints.FAMILY_INET6 : SocketEndpoints.FAMILY_INET4;
        int fd = SocketEndpoints.socket(family);
        OwnedFd owned = new OwnedFd(fd);
        try {
            if (inet != null) {
                byte[] host = inet.getAddress().getAddress();
                int scope = inet.getAddress() instanceof Inet6Address ? ((Inet6Address) inet.getAddress()).getScopeId() : 0;
                if (bind) {
                    SocketEndpoints.setReuseAddress(fd);
                    SocketEndpoints.bindInet(fd, host, inet.getPort(), scope, address);
                } else {
                    SocketConnect.connect(fd, () -> SocketEndpoints.connectInet(fd, host, inet.getPort(), scope, address),
                            deadline, address);
                    SocketEndpoints.setTcpNoDelay(fd);
                }
            } else {
                byte[] name = abstractName != null ? abstractName : pathName(address);
                if (bind) {
                    SocketEndpoints.bindUnix(fd, name, abstractName != null, address);
                } else {
                    SocketConnect.connect(fd, () -> SocketEndpoints.connectUnix(fd, name, abstractName != null, address),
                            deadline, address);
                }
            }
            return owned;
        } catch (IOException | RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    private static byte[] pathName(SocketAddress address) throws IOException {
        byte[] path = ((UnixDomainSocketAddress) address).getPath().toString().getBytes(StandardCharsets.UTF_8);
        if (path.length == 0) {
            throw new IOException("an empty path is not an AF_UNIX address");
        }
        if (path.length > MAX_PATH_BYTES) {
            throw new IOException("AF_UNIX path too long: " + path.length + " bytes, at most " + MAX_PATH_BYTES
                    + " (" + address + ")");
        }
        return path;
    }

    private static InetSocketAddress resolved(InetSocketAddress address) throws IOException {
        if (!address.isUnresolved()) {
            return address;
        }
        InetAddress host = InetAddress.getByName(address.getHostString());
        return new InetSocketAddress(host, address.getPort());
    }

    /** The port a TCP socket bound to (what port 0 became). */
    static int localPort(int fd) throws SystemCallException {
        return SocketEndpoints.localPort(fd);
    }

}
