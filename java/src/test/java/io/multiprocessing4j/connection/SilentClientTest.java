package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.internal.connection.PeerCredentials;
import io.multiprocessing4j.internal.manager.ManagerServer;
import io.multiprocessing4j.managers.Manager;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.OtherUserProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that connect and say nothing hold only their own handshake, never the clients behind
 * them (a Listener with an authkey, a manager's server); the private endpoints refuse a peer of
 * another user unread (SO_PEERCRED).
 */
@InFaultSuite
@Timeout(60)
class SilentClientTest {
    private static final byte[] KEY = "silent-key".getBytes();

    @Test
    void aRealClientIsServedPromptlyWhileSilentOnesAreConnected() throws Exception {
        try (Listener listener = new Listener(AbstractUnixAddress.random(), KEY)) {
            listener.setAuthenticationTimeout(java.time.Duration.ofSeconds(2));
            List<Connection> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    silent.add(Client.connect(listener.address())); // no authkey: it never answers
                }
                CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> {
                    try {
                        return listener.accept();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(200); // the silent clients' handshakes are under way
                long start = System.nanoTime();
                try (Connection client = Client.connect(listener.address(), KEY);
                     Connection served = accepted.get(3, TimeUnit.SECONDS)) {
                    served.send("welcome");
                    assertEquals("welcome", client.recv());
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < 3000, "served after " + millis + " ms");
                // the silent ones fail in turn, after the authentication timeout, without stopping the listener
                AuthenticationException timedOut = assertThrows(AuthenticationException.class, listener::accept);
                assertTrue(timedOut.getMessage().contains("timed out") || timedOut.getMessage().contains("closed"),
                        timedOut.getMessage());
            } finally {
                for (Connection connection : silent) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void moreSilentClientsThanHandshakeSlotsDelayOthersOnlyUntilTheirDeadline() throws Exception {
        try (Listener listener = new Listener(AbstractUnixAddress.random(), KEY)) {
            listener.setAuthenticationTimeout(java.time.Duration.ofMillis(500));
            List<Connection> silent = new ArrayList<>();
            try {
                for (int i = 0; i < Listener.MAX_PENDING_HANDSHAKES + 8; i++) {
                    silent.add(Client.connect(listener.address()));
                }
                CompletableFuture<Connection> client = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Client.connect(listener.address(), KEY);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long start = System.nanoTime();
                Connection served = null;
                while (served == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                    try {
                        served = listener.accept();
                    } catch (AuthenticationException silentOneTimedOut) {
                        // next
                    }
                }
                assertTrue(served != null, "the real client was not served within 10 s");
                served.close();
                client.get(5, TimeUnit.SECONDS).close();
            } finally {
                for (Connection connection : silent) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void aManagersServerAnswersPromptlyWhileSilentClientsAreConnected() throws Exception {
        AbstractUnixAddress address = AbstractUnixAddress.random();
        Thread server = new Thread(() -> {
            try {
                ManagerServer.servePrivately(address, KEY);
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        server.setDaemon(true);
        server.start();
        List<Connection> silent = new ArrayList<>();
        Manager manager = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (silent.isEmpty()) {
                try {
                    silent.add(Client.connect(address));
                } catch (java.io.IOException notYetListening) {
                    assertTrue(System.nanoTime() < deadline, "the server did not listen");
                    Thread.sleep(10);
                }
            }
            silent.add(Client.connect(address));
            long start = System.nanoTime();
            manager = Manager.connect(address, KEY);
            List<Integer> list = manager.list();
            list.add(7);
            assertEquals(7, list.get(0));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 3000, "the manager answered after " + millis + " ms");
        } finally {
            for (Connection connection : silent) {
                connection.close();
            }
            if (manager != null) {
                manager.shutdown();
            }
            server.join(10_000);
        }
    }

    @Test
    void aManagersPrivateServerRefusesAnotherUserUnread() throws Exception {
        assumeTrue(OtherUserProbe.available(), "needs root and setpriv to run a client as nobody");
        AbstractUnixAddress address = AbstractUnixAddress.random();
        Thread server = new Thread(() -> {
            try {
                ManagerServer.servePrivately(address, KEY);
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        server.setDaemon(true);
        server.start();
        Manager manager = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (manager == null) {
                try {
                    manager = Manager.connect(address, KEY);
                } catch (java.io.IOException notYetListening) {
                    assertTrue(System.nanoTime() < deadline, "the server did not listen");
                    Thread.sleep(10);
                }
            }
            assertRefusedPromptly(OtherUserProbe.run(address));
        } finally {
            if (manager != null) {
                manager.shutdown();
            }
            server.join(10_000);
        }
    }

    @Test
    void aListenerMadeOwnerOnlyRefusesAnotherUserUnread() throws Exception {
        assumeTrue(OtherUserProbe.available(), "needs root and setpriv to run a client as nobody");
        try (Listener listener = new Listener(AbstractUnixAddress.random(), KEY)) {
            listener.requirePeerUid(PeerCredentials.ownUid());
            CompletableFuture<Throwable> refused = CompletableFuture.supplyAsync(() -> {
                try {
                    listener.accept().close();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            assertRefusedPromptly(OtherUserProbe.run((AbstractUnixAddress) listener.address()));
            Throwable failure = refused.get(5, TimeUnit.SECONDS);
            assertTrue(failure instanceof AuthenticationException && failure.getMessage().contains("uid 65534"),
                    String.valueOf(failure));
        }
    }

    /** The probe saw its connection closed long before any handshake deadline (5 s). */
    static void assertRefusedPromptly(String probeOutput) {
        assertTrue(probeOutput.startsWith("CLOSED "), "the probe said: " + probeOutput);
        long millis = Long.parseLong(probeOutput.split(" ")[1]);
        assertTrue(millis < 2000, "refused only after " + millis + " ms: " + probeOutput);
    }
}
