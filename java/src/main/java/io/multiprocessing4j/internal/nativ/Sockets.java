package io.multiprocessing4j.internal.nativ;

/** Binding for native/sockets.c. */
public final class Sockets {
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    private Sockets() {
    }

    /** AF_UNIX SOCK_STREAM pair, close-on-exec, into out[0] and out[1]. */
    public static int socketpair(int[] out) {
        NativeLibrary.load();
        return socketpair0(out);
    }

    private static native int socketpair0(int[] out);

    public static int shutdown(int fd, int how) {
        NativeLibrary.load();
        return shutdown0(fd, how);
    }

    private static native int shutdown0(int fd, int how);

    /** One send(2) with MSG_NOSIGNAL: a closed peer is -EPIPE, never a SIGPIPE. */
    public static int send(int fd, byte[] buffer, int offset, int length) {
        NativeLibrary.load();
        return send0(fd, buffer, offset, length);
    }

    private static native int send0(int fd, byte[] buffer, int offset, int length);

    /** The kernel's limit of fds per message (SCM_MAX_FD). */
    public static final int MAX_PASSED_FDS = 253;

    /**
     * Sends {@code head[0, headLength)} followed by {@code body[offset, offset + length)} as one run
     * of bytes, blocking until all of it is sent; {@code fds} (null for none; sockets only) ride with
     * its first byte (SCM_RIGHTS). Sockets use sendmsg with MSG_NOSIGNAL, pipes write(2). Returns 0
     * or -errno; after an error part of the run may have been sent. Callers check the bounds.
     */
    public static int sendRun(int fd, boolean isSocket, byte[] head, int headLength, byte[] body,
                                     int offset, int length, int[] fds) {
        NativeLibrary.load();
        return sendRun0(fd, isSocket, head, headLength, body, offset, length, fds);
    }

    private static native int sendRun0(int fd, boolean isSocket, byte[] head, int headLength, byte[] body,
                                     int offset, int length, int[] fds);

    /**
     * Receives into {@code array[offset, offset + length)} until at least {@code minimum} bytes have
     * arrived, the peer has closed, or fds came with the bytes. Received fds (close-on-exec) land in
     * {@code fdsOut[1..]} with their count in {@code fdsOut[0]}, or {@code -1 - count} if the kernel
     * dropped some; {@code fdsOut} must hold {@code 1 + MAX_PASSED_FDS} ints. Returns the bytes read
     * (fewer than {@code minimum} at EOF or after fds; 0 means EOF), or -errno if the first read failed.
     */
    public static int receive(int fd, boolean isSocket, byte[] array, int offset, int length, int minimum,
                                      int[] fdsOut) {
        NativeLibrary.load();
        return receive0(fd, isSocket, array, offset, length, minimum, fdsOut);
    }

    private static native int receive0(int fd, boolean isSocket, byte[] array, int offset, int length, int minimum,
                                      int[] fdsOut);

    /**
     * For large payloads on sockets: sends {@code head[0, headLength)} (at most 64 bytes) then
     * {@code body[offset, offset + length)}, all of it, with the kernel copying straight from the
     * array (pinned only around each non-blocking sendmsg of at most 256 KiB; waits in poll with the
     * array released). No fds. Returns 0 or -errno.
     */
    public static int sendPinned(int fd, byte[] head, int headLength, byte[] body, int offset, int length) {
        NativeLibrary.load();
        return sendPinned0(fd, head, headLength, body, offset, length);
    }

    private static native int sendPinned0(int fd, byte[] head, int headLength, byte[] body, int offset, int length);

    /**
     * For large payloads on sockets: receives exactly {@code length} bytes into
     * {@code array[offset, ...)} unless the peer closes first, the kernel copying straight into the
     * array (pinned as for {@link #sendPinned}). Returns the bytes received (fewer at EOF), or -errno.
     */
    public static int receivePinned(int fd, byte[] array, int offset, int length) {
        NativeLibrary.load();
        return receivePinned0(fd, array, offset, length);
    }

    private static native int receivePinned0(int fd, byte[] array, int offset, int length);
}
