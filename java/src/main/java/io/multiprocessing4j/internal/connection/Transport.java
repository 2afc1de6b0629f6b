package io.multiprocessing4j.internal.connection;

/** What kind of file descriptor carries a connection; decides which calls apply to it. */
public enum Transport {
    /** One end of a pipe2 pipe: one-way, no shutdown, no fd passing. */
    PIPE("pipe", false, false),
    /** An AF_UNIX stream socket (socketpair, path or abstract address): may carry fds. */
    UNIX_SOCKET("unix socket", true, true),
    /** A TCP socket. */
    TCP_SOCKET("tcp socket", true, false);

    private final String description;
    private final boolean socket;
    private final boolean carriesFds;

    Transport(String description, boolean socket, boolean carriesFds) {
        this.description = description;
        this.socket = socket;
        this.carriesFds = carriesFds;
    }

    /** Sockets use sendmsg/recvmsg and can be shut down to wake a blocked call. */
    public boolean isSocket() {
        return socket;
    }

    /** Whether file descriptors can travel with messages (SCM_RIGHTS). */
    public boolean carriesFds() {
        return carriesFds;
    }

    @Override
    public String toString() {
        return description;
    }
}
