package io.multiprocessing4j.support;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDK listener on a socket file with a backlog of one that accepts nothing unless told, its
 * backlog filled: a further connect finds no room until {@link #acceptOne()} makes some.
 */
public final class FullUnixBacklog implements AutoCloseable {
    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final List<SocketChannel> queued = new ArrayList<>();

    public FullUnixBacklog(Path directory) throws IOException {
        address = UnixDomainSocketAddress.of(directory.resolve("listener"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(address, 1);
        // Linux queues backlog + 1 AF_UNIX clients; a non-blocking JDK connect says when one is refused.
        for (int i = 0; i < 64; i++) {
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.configureBlocking(false);
            try {
                client.connect(address);
            } catch (IOException full) {
                client.close();
                return;
            }
            queued.add(client);
        }
        server.close();
        throw new IllegalStateException("the backlog never filled");
    }

    public SocketAddress address() {
        return address;
    }

    /** How many clients filled the backlog. */
    public int queuedCount() {
        return queued.size();
    }

    /** Accepts the oldest client waiting in the backlog (blocking until there is one) and closes it. */
    public void acceptOne() throws IOException {
        server.accept().close();
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel client : queued) {
            client.close();
        }
        server.close();
    }
}
