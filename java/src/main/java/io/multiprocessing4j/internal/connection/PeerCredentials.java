package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.SocketEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Who is at the other end of a connected AF_UNIX socket, as the kernel recorded it when the peer
 * connected (SO_PEERCRED): it costs no byte of the peer's and cannot be forged by it.
 */
public final class PeerCredentials {
    private static volatile int ownUid = -1;

    public final int pid;
    public final int uid;
    public final int gid;

    private PeerCredentials(int pid, int uid, int gid) {
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
    }

    /** The peer of {@code fd}, a connected AF_UNIX socket. */
    public static PeerCredentials of(OwnedFd fd) throws IOException {
        int number = fd.acquire();
        if (number < 0) {
            throw new IOException("socket closed before its peer's credentials were read");
        }
        int[] values = new int[3];
        try {
            SocketEndpoints.peerCredentials(number, values);
        } finally {
            fd.release();
        }
        return new PeerCredentials(values[0], values[1], values[2]);
    }

    /** This process's (effective) uid: the owner of /proc/self. */
    public static int ownUid() {
        int known = ownUid;
        if (known < 0) {
            try {
                known = (Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot tell this process's uid from /proc/self", e);
            }
            ownUid = known;
        }
        return known;
    }

    @Override
    public String toString() {
        return "pid " + pid + ", uid " + uid + ", gid " + gid;
    }
}
