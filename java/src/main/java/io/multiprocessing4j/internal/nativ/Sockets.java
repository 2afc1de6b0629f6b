package io.multiprocessing4j.internal.nativ;

/** Binding for native/socket.c. */
public final class Sockets {
    static {
        NativeLibrary.load();
    }

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    private Sockets() {
    }

    /** AF_UNIX SOCK_STREAM pair, close-on-exec, into out[0] and out[1]. */
    public static native int socketpair(int[] out);

    public static native int shutdown(int fd, int how);

    /** One send(2) with MSG_NOSIGNAL: a closed peer is -EPIPE, never a SIGPIPE. */
    public static native int send(int fd, byte[] buffer, int offset, int length);
}
