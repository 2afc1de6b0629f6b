package io.multiprocessing4j.internal.nativ;

/**
 * Binding for native/socket_endpoints.c: stream sockets that bind, listen, accept and connect, over
 * AF_UNIX (a path, or a Linux abstract name) or TCP. One system call per method; results are
 * {@code >= 0} or {@code -errno}. Sockets and accepted sockets are close-on-exec.
 */
public final class SocketEndpoints {
    public static final int FAMILY_UNIX = 0;
    public static final int FAMILY_INET4 = 1;
    public static final int FAMILY_INET6 = 2;

    private SocketEndpoints() {
    }

    /** A new SOCK_STREAM socket of the given family (FAMILY_*). */
    public static int socket(int family) {
        NativeLibrary.load();
        return socket0(family);
    }

    private static native int socket0(int family);

    /** Binds to a path (NUL-terminated by the call) or, with {@code abstract}, to an abstract name. */
    public static int bindUnix(int fd, byte[] name, boolean abstractName) {
        NativeLibrary.load();
        return bindUnix0(fd, name, abstractName);
    }

    private static native int bindUnix0(int fd, byte[] name, boolean abstractName);

    /** Binds to a 4- or 16-byte address, with an IPv6 scope id (ignored for IPv4). */
    public static int bindInet(int fd, byte[] address, int port, int scopeId) {
        NativeLibrary.load();
        return bindInet0(fd, address, port, scopeId);
    }

    private static native int bindInet0(int fd, byte[] address, int port, int scopeId);

    public static int listen(int fd, int backlog) {
        NativeLibrary.load();
        return listen0(fd, backlog);
    }

    private static native int listen0(int fd, int backlog);

    /** accept4(SOCK_CLOEXEC), retrying EINTR. */
    public static int accept(int fd) {
        NativeLibrary.load();
        return accept0(fd);
    }

    private static native int accept0(int fd);

    /** Connects; a connect interrupted by a signal is waited for, not restarted. */
    public static int connectUnix(int fd, byte[] name, boolean abstractName) {
        NativeLibrary.load();
        return connectUnix0(fd, name, abstractName);
    }

    private static native int connectUnix0(int fd, byte[] name, boolean abstractName);

    public static int connectInet(int fd, byte[] address, int port, int scopeId) {
        NativeLibrary.load();
        return connectInet0(fd, address, port, scopeId);
    }

    private static native int connectInet0(int fd, byte[] address, int port, int scopeId);

    /** The port a bound inet socket got (what port 0 turned into). */
    public static int localPort(int fd) {
        NativeLibrary.load();
        return localPort0(fd);
    }

    private static native int localPort0(int fd);

    public static int setReuseAddress(int fd) {
        NativeLibrary.load();
        return setReuseAddress0(fd);
    }

    private static native int setReuseAddress0(int fd);

    public static int setTcpNoDelay(int fd) {
        NativeLibrary.load();
        return setTcpNoDelay0(fd);
    }

    private static native int setTcpNoDelay0(int fd);

    /**
     * The peer's credentials of a connected AF_UNIX socket (SO_PEERCRED) into {@code out}:
     * pid, uid, gid (at least 3 elements). Returns 0 or -errno.
     */
    public static int peerCredentials(int fd, int[] out) {
        NativeLibrary.load();
        return peerCredentials0(fd, out);
    }

    private static native int peerCredentials0(int fd, int[] out);
}
