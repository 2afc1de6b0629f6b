package io.multiprocessing4j.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** TCP addresses on loopback for tests. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /**
     * A loopback address whose port was free a moment ago (bound, then closed): nothing listens
     * there until the test binds it, and a connect to it is refused meanwhile.
     */
    public static InetSocketAddress unusedAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
        }
    }
}
