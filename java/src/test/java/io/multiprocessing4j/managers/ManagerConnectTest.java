package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.LoopbackPorts;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Manager#connect} to an address where no manager answers: a peer that accepts and says
 * nothing (another service on that port) fails at the limit given, and without a limit an
 * interrupt ends the wait; where a manager serves, the limit changes nothing.
 */
@Timeout(60)
class ManagerConnectTest {
    private static final byte[] KEY = "manager-connect-key".getBytes();
    private static final Duration LIMIT = Duration.ofMillis(400);

    /** A TCP listener whose backlog takes connections and which never reads or writes a byte. */
    private static ServerSocket silentListener() throws IOException {
        return new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    }

    private static SocketAddress addressOf(ServerSocket listener) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    @Test
    void aPeerThatSaysNothingFailsTheConnectAtTheLimit() throws Exception {
        try (ServerSocket silent = silentListener()) {
            long start = System.nanoTime();
            AuthenticationException failed = assertThrows(AuthenticationException.class,
                    () -> Manager.connect(addressOf(silent), KEY, LIMIT));
            long took = System.nanoTime() - start;
            assertTrue(took >= LIMIT.toNanos(), "gave up after " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
            assertTrue(took < LIMIT.plusSeconds(3).toNanos(), "gave up after " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
            assertTrue(failed.getMessage().contains("timed out"), failed.getMessage());
        }
    }

    @Test
    void anInterruptEndsAConnectWithoutALimit() throws Exception {
        try (ServerSocket silent = silentListener()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread connecting = new Thread(() -> {
                try {
                    Manager.connect(addressOf(silent), KEY).shutdown();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            connecting.start();
            Thread.sleep(300);
            assertTrue(connecting.isAlive(), "connected to a peer that says nothing");
            connecting.interrupt();
            connecting.join(5_000);
            assertTrue(!connecting.isAlive(), "an interrupt did not end the connect (it started over, for ever)");
            assertTrue(thrown.get() instanceof InterruptedIOException, "threw " + thrown.get());
        }
    }

    @Test
    void aManagerThatServesIsReachedWithinTheLimit() throws Exception {
        SocketAddress address = LoopbackPorts.unusedAddress();
        Thread serving = new Thread(() -> {
            try {
                Manager.serve(address, KEY);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "serve-forever");
        serving.setDaemon(true);
        serving.start();
        AtomicReference<Manager> connected = new AtomicReference<>();
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> {
            try {
                connected.set(Manager.connect(address, KEY, Duration.ofSeconds(10)));
                return true;
            } catch (IOException notYetListening) {
                return false;
            }
        }));
        Manager manager = connected.get();
        try {
            ListProxy<String> list = manager.list();
            list.add("reached");
            assertEquals("reached", list.get(0));
        } finally {
            manager.shutdown();
        }
        serving.join(30_000);
        assertTrue(!serving.isAlive(), "serve() returned after shutdown");
    }

    @Test
    void aNullTimeoutIsRefused() {
        assertThrows(NullPointerException.class,
                () -> Manager.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), KEY, null));
    }
}
