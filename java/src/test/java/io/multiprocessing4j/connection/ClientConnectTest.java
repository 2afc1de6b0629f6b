package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.support.FullUnixBacklog;
import io.multiprocessing4j.support.LoopbackPorts;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Client#connect}'s waits for peers that do not answer: a TCP address whose packets are
 * dropped and an AF_UNIX listener whose backlog is full time out at the limit given (connect(2)
 * would block for two minutes, or for good), a listener that accepts and says nothing fails the
 * authentication at the same limit, an interrupt ends a wait without a limit, and a client behind
 * a full backlog gets in once the listener makes room. The listeners here are the JDK's, which
 * accept nothing unless told.
 */
@Timeout(60)
class ClientConnectTest {
    private static final byte[] KEY = "connect-key".getBytes();
    private static final Duration LIMIT = Duration.ofMillis(400);
    /** What a timed-out connect may take beyond its limit on a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    /** A TCP listener on loopback whose accept queue (backlog 1) is full: the kernel drops further SYNs. */
    private static final class FullTcpBacklog implements AutoCloseable {
        final ServerSocket server;
        final SocketAddress address;
        final List<java.net.Socket> queued = new ArrayList<>();

        FullTcpBacklog() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            for (int i = 0; i < 64; i++) {
                java.net.Socket client = new java.net.Socket();
                try {
                    client.connect(address, 200);
                } catch (SocketTimeoutException full) {
                    client.close();
                    return;
                }
                queued.add(client);
            }
            throw new IllegalStateException("the accept queue never filled");
        }

        @Override
        public void close() throws IOException {
            for (java.net.Socket client : queued) {
                client.close();
            }
            server.close();
        }
    }

    private static void assertTimedOutWithin(long startNanos, Duration limit) {
        long took = System.nanoTime() - startNanos;
        assertTrue(took >= limit.toNanos(), "gave up after " + TimeUnit.NANOSECONDS.toMillis(took) + " ms, before its limit");
        assertTrue(took < limit.plus(SLACK).toNanos(), "gave up " + TimeUnit.NANOSECONDS.toMillis(took) + " ms after its start");
    }

    @Test
    void aTcpAddressThatDropsTheConnectTimesOutAtTheLimit() throws Exception {
        try (FullTcpBacklog listener = new FullTcpBacklog()) {
            long start = System.nanoTime();
            SocketTimeoutException timedOut = assertThrows(SocketTimeoutException.class,
                    () -> Client.connect(listener.address, KEY, LIMIT));
            assertTimedOutWithin(start, LIMIT);
            assertTrue(timedOut.getMessage().contains(listener.address.toString()), timedOut.getMessage());
        }
    }

    @Test
    void anAfUnixListenerWhoseBacklogIsFullTimesOutAtTheLimit(@TempDir Path directory) throws Exception {
        try (FullUnixBacklog listener = new FullUnixBacklog(directory)) {
            long start = System.nanoTime();
            SocketTimeoutException timedOut = assertThrows(SocketTimeoutException.class,
                    () -> Client.connect(listener.address(), null, LIMIT));
            assertTimedOutWithin(start, LIMIT);
            assertTrue(timedOut.getMessage().contains("backlog"), timedOut.getMessage());
        }
    }

    @Test
    void aClientBehindAFullBacklogGetsInOnceTheListenerAccepts(@TempDir Path directory) throws Exception {
        try (FullUnixBacklog listener = new FullUnixBacklog(directory)) {
            CompletableFuture<Connection> connecting = CompletableFuture.supplyAsync(() -> {
                try {
                    return Client.connect(listener.address());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertTrue(!connecting.isDone(), "connected while the backlog was full");
            listener.acceptOne(); // the first queued client: room for one more
            try (Connection connection = connecting.get(5, TimeUnit.SECONDS)) {
                assertTrue(connection.fileno() >= 0);
            }
        }
    }

    @Test
    void anInterruptEndsAConnectWithoutALimit(@TempDir Path directory) throws Exception {
        try (FullTcpBacklog tcp = new FullTcpBacklog(); FullUnixBacklog unix = new FullUnixBacklog(directory)) {
            for (SocketAddress address : List.of(tcp.address, unix.address())) {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread connecting = new Thread(() -> {
                    try {
                        Client.connect(address).close();
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                });
                connecting.start();
                Thread.sleep(300);
                assertTrue(connecting.isAlive(), "connected to " + address + ", whose backlog is full");
                long interrupted = System.nanoTime();
                connecting.interrupt();
                connecting.join(5_000);
                assertTrue(!connecting.isAlive(), "still connecting to " + address + " after an interrupt");
                assertTrue(System.nanoTime() - interrupted < TimeUnit.SECONDS.toNanos(2));
                assertTrue(thrown.get() instanceof InterruptedIOException, "threw " + thrown.get());
            }
        }
    }

    @Test
    void anInterruptedThreadThrowsOnEntryEvenWhereTheConnectWouldSucceed() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            SocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listening.getLocalPort());
            Thread.currentThread().interrupt();
            try {
                assertThrows(InterruptedIOException.class, () -> Client.connect(address));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set, as NIO leaves it");
            } finally {
                Thread.interrupted();
            }
            Client.connect(address).close(); // and connects once it is cleared
        }
    }

    @Test
    void aListenerThatAcceptsAndSaysNothingFailsTheAuthenticationAtTheLimit() throws Exception {
        // Its backlog takes the connection; nothing ever answers it.
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            SocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            long start = System.nanoTime();
            AuthenticationException failed = assertThrows(AuthenticationException.class,
                    () -> Client.connect(address, KEY, LIMIT));
            assertTimedOutWithin(start, LIMIT);
            assertTrue(failed.getMessage().contains("timed out"), failed.getMessage());
        }
    }

    @Test
    void aRefusedConnectFailsAtOnceNamingTheError() throws Exception {
        SocketAddress address = LoopbackPorts.unusedAddress();
        long start = System.nanoTime();
        IOException refused = assertThrows(IOException.class, () -> Client.connect(address, KEY, Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(refused.getMessage().contains("ECONNREFUSED"), refused.getMessage());
    }

    @Test
    void aTimeoutConnectsAndAuthenticatesWhereTheListenerAnswers() throws Exception {
        try (Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Connection accepted = listener.accept()) {
                    accepted.send("hello");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection connection = Client.connect(listener.address(), KEY, Duration.ofSeconds(30))) {
                assertEquals("hello", connection.recv());
            }
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aNullTimeoutIsRefused() {
        assertThrows(NullPointerException.class,
                () -> Client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), KEY, null));
    }
}
