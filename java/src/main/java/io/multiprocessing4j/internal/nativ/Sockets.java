package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;

/**
 * Peer of native/sockets.c: socketpairs and the bulk calls behind a Connection. Byte counts come
 * back as they are, {@link FileDescriptors#WOULD_BLOCK} where a non-blocking socket would wait;
 * failures throw (a {@link PeerGoneException} for EPIPE and ECONNRESET), as {@link Errors} describes.
 */
public final class Sockets {
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    private Sockets() {
    }

    /** AF_UNIX SOCK_STREAM pair, close-on-exec, into out[0] and out[1]. */
    public static void socketpair(int[] out) throws SystemCallException {
        NativeLibrary.load();
        Errors.check(socketpair0(out), "socketpair");
    }

    private static native int socketpair0(int[] out);

    /** shutdown(2); for waking threads blocked on the socket, so a failure (ENOTCONN) is no news: false. */
    public static boolean shutdown(int fd, int how) {
        NativeLibrary.load();
        return shutdown0(fd, how) == 0;
    }

    private static native int shutdown0(int fd, int how);

    /**
     * One send(2) with MSG_NOSIGNAL: bytes sent, or {@link FileDescriptors#WOULD_BLOCK}; a closed
     * peer is a {@link PeerGoneException}, never a SIGPIPE.
     */
    public static int send(int fd, byte[] buffer, int offset, int length) throws SystemCallException {
        NativeLibrary.load();
        return FileDescriptors.transferred(send0(fd, buffer, offset, length), "send");
    }

    private static native int send0(int fd, byte[] buffer, int offset, int length);

    /** The kernel's limit of fds per message (SCM_MAX_FD). */
    public static final int MAX_PASSED_FDS = 253;

    /**
     * Sends {@code head[0, headLength)} followed by {@code body[offset, offset + length)} as one run
     * of bytes, blocking until all of it is sent; {@code fds} (null for none; sockets only) ride with
     * its first byte (SCM_RIGHTS). Sockets use sendmsg with MSG_NOSIGNAL, pipes write(2). With
     * {@code dontWait} no send blocks: the call stops where the socket or pipe is full.
     * Returns the bytes sent: all of the run unless {@code dontWait} stopped it (the fds went with
     * the first byte if any was sent). After a failure part of the run may have been sent. Callers
     * check the bounds.
     */
    public static long sendRun(int fd, boolean isSocket, byte[] head, int headLength, byte[] body,
                               int offset, int length, int[] fds, boolean dontWait) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(sendRun0(fd, isSocket, head, headLength, body, offset, length, fds, dontWait),
                isSocket ? "sendmsg" : "write");
    }

    private static native long sendRun0(int fd, boolean isSocket, byte[] head, int headLength, byte[] body,
                                      int offset, int length, int[] fds, boolean dontWait);

    /**
     * Receives into {@code array[offset, offset + length)} until at least {@code minimum} bytes have
     * arrived, the peer has closed, or fds came with the bytes. Received fds (close-on-exec) land in
     * {@code fdsOut[1..]} with their count in {@code fdsOut[0]}, or {@code -1 - count} if the kernel
     * dropped some; {@code fdsOut} must hold {@code 1 + MAX_PASSED_FDS} ints. Returns the bytes read
     * (fewer than {@code minimum} at EOF or after fds; 0 means EOF); a failure of the first read
     * throws. With {@code dontWait} no read blocks (on a pipe see {@link KernelFeatures#PIPE_NOWAIT}),
     * and on a socket with a receive timeout ({@link SocketEndpoints#setReceiveTimeout}) a blocking read gives up at that limit:
     * the call then returns what it has, or {@link FileDescriptors#WOULD_BLOCK} if nothing.
     */
    public static int receive(int fd, boolean isSocket, byte[] array, int offset, int length, int minimum,
                              int[] fdsOut, boolean dontWait) throws SystemCallException {
        NativeLibrary.load();
        return FileDescriptors.transferred(receive0(fd, isSocket, array, offset, length, minimum, fdsOut, dontWait),
                isSocket ? "recvmsg" : "read");
    }

    private static native int receive0(int fd, boolean isSocket, byte[] array, int offset, int length, int minimum,
                                      int[] fdsOut, boolean dontWait);

    /**
     * For large payloads on sockets: sends {@code head[0, headLength)} (at most 64 bytes) then
     * {@code body[offset, offset + length)}, with the kernel copying straight from the array (pinned
     * only around each non-blocking sendmsg of at most 256 KiB; waits in poll with the array
     * released, or with {@code dontWait} stops where the socket is full). Returns the bytes sent,
     * all of them unless {@code dontWait} stopped it. No fds.
     */
    public static long sendPinned(int fd, byte[] head, int headLength, byte[] body, int offset, int length,
                                  boolean dontWait) throws SystemCallException {
        NativeLibrary.load();
        return Errors.check(sendPinned0(fd, head, headLength, body, offset, length, dontWait), "sendmsg");
    }

    private static native long sendPinned0(int fd, byte[] head, int headLength, byte[] body, int offset, int length,
                                          boolean dontWait);

    /**
     * For large payloads on sockets: receives up to {@code length} bytes into
     * {@code array[offset, ...)} without waiting, the kernel copying straight into the array
     * (pinned as for {@link #sendPinned}). Returns the bytes received (fewer when the socket has no
     * more, 0 at EOF), or {@link FileDescriptors#WOULD_BLOCK} when it had none; a failure before
     * any byte throws.
     */
    public static int receivePinned(int fd, byte[] array, int offset, int length) throws SystemCallException {
        NativeLibrary.load();
        return FileDescriptors.transferred(receivePinned0(fd, array, offset, length), "recv");
    }

    private static native int receivePinned0(int fd, byte[] array, int offset, int length);
}
