package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/**
 * Peer of native/socket_endpoints.c: stream sockets that bind, listen, accept and connect, over
 * AF_UNIX (a path, or a Linux abstract name) or TCP. One system call per method; a failure throws
 * a {@link SystemCallException} naming the call (and the address, where there is one), as
 * {@link Errors} describes. Sockets and accepted sockets are close-on-exec.
 */
public final class SocketEndpoints {
    public static final int FAMILY_UNIX = 0;
    public static final int FAMILY_INET4 = 1;
    public static final int FAMILY_INET6 = 2;

    /** {@link #accept}: the client gave up before it was accepted (ECONNABORTED); accept the next. */
    public static final int ABORTED = -1;

    /** A connect's start: connected. */
    public static final int CONNECTED = 0;
    /** A connect's start: a TCP handshake goes on; wait until the socket is writable, then {@link #finishConnect}. */
    public static final int IN_PROGRESS = 1;
    /** A connect's start: the AF_UNIX listener's backlog is full (EAGAIN); start again later. */
    public static final int BACKLOG_FULL = 2;

    private SocketEndpoints() {
    }

    private static native int socket0(int family);

    private static native int bindUnix0(int fd, byte[] name, boolean abstractName);

    private static native int bindInet0(int fd, byte[] address, int port, int scopeId);

    private static native int listen0(int fd, int backlog);

    private static native int accept0(int fd);

    private static native int connectUnix0(int fd, byte[] name, boolean abstractName);

    private static native int connectInet0(int fd, byte[] address, int port, int scopeId);

    private static native int connectOutcome0(int fd);

    private static native int localPort0(int fd);

    private static native int setReuseAddress0(int fd);

    private static native int setTcpNoDelay0(int fd);

    private static native int setReceiveTimeout0(int fd, int micros);

    private static native int peerCredentials0(int fd, int[] out);

    /** A new SOCK_STREAM socket of the given family (FAMILY_*). */
    public static int socket(int family) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(socket0(family), "socket");
    }

    /**
     * Binds to a path (NUL-terminated by the call) or, with {@code abstractName}, to an abstract
     * name; {@code shownAs} names the address in an error.
     */
    public static void bindUnix(int fd, byte[] name, boolean abstractName, Object shownAs) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(bindUnix0(fd, name, abstractName), "bind(" + shownAs + ")");
    }

    /** Binds to a 4- or 16-byte address, with an IPv6 scope id (ignored for IPv4). */
    public static void bindInet(int fd, byte[] address, int port, int scopeId, Object shownAs)
            throws SystemCallException {
        NativeLibrary.load();
        Errors.check(bindInet0(fd, address, port, scopeId), "bind(" + shownAs + ")");
    }

    public static void listen(int fd, int backlog) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(listen0(fd, backlog), "listen");
    }

    /** accept4(SOCK_CLOEXEC), retrying EINTR: the new socket, or {@link #ABORTED}. */
    public static int accept(int fd) throws SystemCallException {
        NativeLibrary.load();
        int accepted = accept0(fd);
        return accepted == -Errno.ECONNABORTED ? ABORTED : Errors.check(accepted, "accept");
    }

    /**
     * Starts connecting to a path or an abstract name without blocking: {@link #CONNECTED} or
     * {@link #BACKLOG_FULL}; any other outcome throws, naming {@code shownAs}.
     */
    public static int connectUnix(int fd, byte[] name, boolean abstractName, Object shownAs)
            throws SystemCallException {
        NativeLibrary.load();
        int result = connectUnix0(fd, name, abstractName);
        return result == -Errno.EAGAIN ? BACKLOG_FULL : started(result, shownAs);
    }

    /**
     * Starts connecting to a TCP address without blocking: {@link #CONNECTED} or
     * {@link #IN_PROGRESS} (EAGAIN here means no local port was free, and throws).
     */
    public static int connectInet(int fd, byte[] address, int port, int scopeId, Object shownAs)
            throws SystemCallException {
        NativeLibrary.load();
        return started(connectInet0(fd, address, port, scopeId), shownAs);
    }

    private static int started(int result, Object shownAs) throws SystemCallException {
        if (result == -Errno.EINPROGRESS) {
            return IN_PROGRESS;
        }
        Errors.check(result, "connect(" + shownAs + ")");
        return CONNECTED;
    }

    /** After {@link #IN_PROGRESS} and a writable socket: returns if connected, else throws why not. */
    public static void finishConnect(int fd, Object shownAs) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(connectOutcome0(fd), "connect(" + shownAs + ")");
    }

    /** The port a bound inet socket got (what port 0 turned into). */
    public static int localPort(int fd) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(localPort0(fd), "getsockname");
    }

    public static void setReuseAddress(int fd) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(setReuseAddress0(fd), "setsockopt(SO_REUSEADDR)");
    }

    /**
     * SO_RCVTIMEO: a blocking receive on the socket gives up (EAGAIN) after {@code micros} without
     * data. Returns whether the socket took it (a pipe, say, does not).
     */
    public static boolean setReceiveTimeout(int fd, int micros) {
        NativeLibrary.load();
        return setReceiveTimeout0(fd, micros) == 0;
    }

    public static void setTcpNoDelay(int fd) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(setTcpNoDelay0(fd), "setsockopt(TCP_NODELAY)");
    }

    /**
     * The peer's credentials of a connected AF_UNIX socket (SO_PEERCRED) into {@code out}:
     * pid, uid, gid (at least 3 elements).
     */
    public static void peerCredentials(int fd, int[] out) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(peerCredentials0(fd, out), "getsockopt(SO_PEERCRED)");
    }
}
