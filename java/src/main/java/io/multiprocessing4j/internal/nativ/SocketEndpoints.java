package io.multiprocessing4j.internal.nativ;

/**
 * Binding for native/socket_endpoint.c: stream sockets that bind, listen, accept and connect, over
 * AF_UNIX (a path, or a Linux abstract name) or TCP. One system call per method; results are
 * {@code >= 0} or {@code -errno}. Sockets and accepted sockets are close-on-exec.
 */
public final class SocketEndpoints {
    static {
        NativeLibrary.load();
    }

    public static final int FAMILY_UNIX = 0;
    public static final int FAMILY_INET4 = 1;
    public static final int FAMILY_INET6 = 2;

    private SocketEndpoints() {
    }

    /** A new SOCK_STREAM socket of the given family (FAMILY_*). */
    public static native int socket(int family);

    /** Binds to a path (NUL-terminated by the call) or, with {@code abstract}, to an abstract name. */
    public static native int bindUnix(int fd, byte[] name, boolean abstractName);

    /** Binds to a 4- or 16-byte address, with an IPv6 scope id (ignored for IPv4). */
    public static native int bindInet(int fd, byte[] address, int port, int scopeId);

    public static native int listen(int fd, int backlog);

    /** accept4(SOCK_CLOEXEC), retrying EINTR. */
    public static native int accept(int fd);

    /** Connects; a connect interrupted by a signal is waited for, not restarted. */
    public static native int connectUnix(int fd, byte[] name, boolean abstractName);

    public static native int connectInet(int fd, byte[] address, int port, int scopeId);

    /** The port a bound inet socket got (what port 0 turned into). */
    public static native int localPort(int fd);

    public static native int setReuseAddress(int fd);

    public static native int setTcpNoDelay(int fd);

    /**
     * The peer's credentials of a connected AF_UNIX socket (SO_PEERCRED) into {@code out}:
     * pid, uid, gid (at least 3 elements). Returns 0 or -errno.
     */
    public static native int peerCredentials(int fd, int[] out);
}
