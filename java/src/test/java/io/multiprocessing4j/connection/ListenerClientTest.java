package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.support.Children;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listener and Client over socket files, abstract names and TCP, with and without an authkey. */
class ListenerClientTest {
    private static final byte[] KEY = "the right key".getBytes();
    private static final Duration JOIN = Duration.ofSeconds(60);

    /** The child: connects, sends its greeting and echoes one message; reports failures by exit code. */
    static void clientChild(SocketAddress address, byte[] authkey) throws Exception {
        try (Connection connection = Client.connect(address, authkey)) {
            connection.send("hello from " + ProcessHandle.current().pid());
            connection.send(connection.recv());
        }
    }

    private static void serveOne(Listener listener) throws Exception {
        try (Children children = new Children()) {
            SocketAddress address = listener.address();
            ChildProcess child = children.start(() -> clientChild(address, KEY));
            try (Connection connection = listener.accept()) {
                String hello = (String) connection.recv();
                assertTrue(hello.startsWith("hello from "), hello);
                connection.send(List.of(1, "two"));
                assertEquals(List.of(1, "two"), connection.recv());
            }
            assertEquals(0, Children.join(child, JOIN));
        }
    }

    @Test
    void socketFileListenerServesAnAuthenticatedChildAndRemovesItsFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("listener.sock");
        Listener listener = new Listener(UnixDomainSocketAddress.of(file), KEY);
        assertTrue(Files.exists(file));
        serveOne(listener);
        listener.close();
        assertFalse(Files.exists(file), "the socket file is removed on close");
        listener.close();
    }

    @Test
    void abstractNameListenerServesAnAuthenticatedChild() throws Exception {
        try (Listener listener = new Listener(AbstractUnixAddress.random(), KEY)) {
            serveOne(listener);
        }
    }

    @Test
    void tcpLoopbackListenerServesAnAuthenticatedChild() throws Exception {
        try (Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY)) {
            int port = ((InetSocketAddress) listener.address()).getPort();
            assertNotEquals(0, port);
            serveOne(listener);
        }
    }

    @Test
    void defaultListenerLivesInAPrivateDirectoryThatIsRemovedOnClose() throws Exception {
        Listener listener = new Listener();
        Path file = ((UnixDomainSocketAddress) listener.address()).getPath();
        Path directory = file.getParent();
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory)));
        try (Connection client = Client.connect(listener.address()); Connection server = listener.accept()) {
            client.send("no key needed");
            assertEquals("no key needed", server.recv());
        }
        listener.close();
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(directory));
    }

    @Test
    void wrongKeyFailsOnBothSidesAndTheListenerServesTheNextClient() throws Exception {
        try (Children children = new Children(); Listener listener = new Listener(AbstractUnixAddress.random(), KEY)) {
            SocketAddress address = listener.address();
            ChildProcess intruder = children.start(() -> {
                try {
                    Client.connect(address, "a wrong key".getBytes());
                } catch (AuthenticationException expected) {
                    System.exit(42); // the client side of the failure
                }
            });
            AuthenticationException refused = assertThrows(AuthenticationException.class, listener::accept);
            assertTrue(refused.getMessage().contains("digest received was wrong"), refused.getMessage());
            assertEquals(42, Children.join(intruder, JOIN));
            serveOne(listener);
        }
    }

    @Test
    void listenerWithAWrongKeyIsRejectedByTheClient() throws Exception {
        try (Listener listener = new Listener(AbstractUnixAddress.random(), "listener key".getBytes())) {
            CompletableFuture<Object> accepting = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (IOException e) {
                    return e;
                }
            });
            assertThrows(AuthenticationException.class, () -> Client.connect(listener.address(), KEY));
            assertInstanceOf(AuthenticationException.class, accepting.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void silentClientTimesOutAndGarbageFailsAuthentication() throws Exception {
        try (Listener listener = new Listener(AbstractUnixAddress.random(), KEY)) {
            listener.setAuthenticationTimeout(Duration.ofMillis(300));
            try (Connection silent = Client.connect(listener.address())) { // no key: never answers
                long began = System.nanoTime();
                AuthenticationException timedOut = assertThrows(AuthenticationException.class, listener::accept);
                long waitedMillis = (System.nanoTime() - began) / 1_000_000;
                assertTrue(timedOut.getMessage().contains("timed out"), timedOut.getMessage());
                assertTrue(waitedMillis >= 290 && waitedMillis < 10_000, "waited " + waitedMillis + " ms");
            }
            byte[] garbage = new byte[4096];
            new Random(7).nextBytes(garbage);
            garbage[0] = 0x7f; // a huge length
            try (Connection raw = Client.connect(listener.address())) {
                int fd = raw.fileno();
                assertTrue(Sockets.send(fd, garbage, 0, garbage.length) > 0);
                assertThrows(AuthenticationException.class, listener::accept);
            }
            listener.setAuthenticationTimeout(Duration.ofSeconds(30));
            serveOne(listener);
        }
    }

    @Test
    void unixConnectionsFromAListenerCarryConnections() throws Exception {
        try (Listener listener = new Listener(AbstractUnixAddress.random());
             Connection client = Client.connect(listener.address());
             Connection server = listener.accept();
             Pipe passed = Pipe.open()) {
            client.send(passed.second());
            try (Connection received = (Connection) server.recv()) {
                received.send("through the listener's connection");
                assertEquals("through the listener's connection", passed.first().recv());
            }
        }
    }

    @Test
    void tcpConnectionsCannotCarryConnections() throws Exception {
        try (Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Connection client = Client.connect(listener.address());
             Connection server = listener.accept();
             Pipe passed = Pipe.open()) {
            assertThrows(java.io.NotSerializableException.class, () -> client.send(passed.second()));
            client.sendBytes(new byte[] {1, 2});
            assertArrayEquals(new byte[] {1, 2}, server.recvBytes());
        }
    }

    @Test
    void addressesInUseOrMissingGiveClearErrors(@TempDir Path directory) throws Exception {
        AbstractUnixAddress name = AbstractUnixAddress.random();
        try (Listener first = new Listener(name)) {
            IOException inUse = assertThrows(IOException.class, () -> new Listener(name));
            assertTrue(inUse.getMessage().contains("EADDRINUSE"), inUse.getMessage());
        }
        Path missing = directory.resolve("nobody-listens-here");
        IOException refused = assertThrows(IOException.class, () -> Client.connect(UnixDomainSocketAddress.of(missing)));
        assertTrue(refused.getMessage().contains("ENOENT") && refused.getMessage().contains("connect"),
                refused.getMessage());
        Path occupied = Files.createFile(directory.resolve("a-regular-file"));
        assertThrows(IOException.class, () -> new Listener(UnixDomainSocketAddress.of(occupied)));
        assertTrue(Files.exists(occupied), "a failed bind removes nothing");
        Path tooLong = directory.resolve("x".repeat(120));
        assertThrows(IOException.class, () -> new Listener(UnixDomainSocketAddress.of(tooLong)));
        assertThrows(IllegalArgumentException.class, () -> new Listener(name, new byte[0]));
    }

    @Test
    void closingAListenerKeepsASocketFileThatIsNoLongerItsOwn(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("shared.sock");
        Listener first = new Listener(UnixDomainSocketAddress.of(file));
        Files.delete(file); // someone removed it and another listener took the path
        try (Listener second = new Listener(UnixDomainSocketAddress.of(file))) {
            first.close();
            assertTrue(Files.exists(file), "the first listener must not remove the second one's file");
            try (Connection client = Client.connect(second.address()); Connection server = second.accept()) {
                client.send("second");
                assertEquals("second", server.recv());
            }
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void currentProcessAuthkeyIsSharedWithChildren() throws Exception {
        byte[] authkey = Multiprocessing.currentProcess().authkey();
        try (Children children = new Children(); Listener listener = new Listener(AbstractUnixAddress.random(), authkey)) {
            SocketAddress address = listener.address();
            ChildProcess child = children.start(() -> clientChild(address, Multiprocessing.currentProcess().authkey()));
            try (Connection connection = listener.accept()) {
                assertTrue(((String) connection.recv()).startsWith("hello from "));
                connection.send("echo");
                assertEquals("echo", connection.recv());
            }
            assertEquals(0, Children.join(child, JOIN));
        }
    }
}
