package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.LoopbackPorts;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Remote managers (Python's {@code BaseManager(address, authkey)} with {@code serve_forever} and
 * {@code connect}) on TCP loopback and on a socket file, reached from separate JVMs with the right
 * key and refused with a wrong one, surviving clients that send garbage or vanish.
 */
@InFaultSuite
@ProcessSemantics
@ExtendWith(ReapChildren.class)
@Timeout(180)
class ManagerRemoteTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** Shared by every client: the factory answers one object (Python's {@code register('get_board', lambda: board)}). */
    public interface Board {
        void post(String message);

        List<String> posts();
    }

    public static final class BoardImpl implements Board {
        static final BoardImpl SHARED = new BoardImpl();
        private final List<String> posts = new ArrayList<>();

        static Board shared() {
            return SHARED;
        }

        synchronized void clear() {
            posts.clear();
        }

        @Override
        public synchronized void post(String message) {
            posts.add(message);
        }

        @Override
        public synchronized List<String> posts() {
            return new ArrayList<>(posts);
        }
    }

    @Test
    void overTcpLoopbackWithTheRightAndAWrongKey() throws Exception {
        InetSocketAddress address = LoopbackPorts.unusedAddress();
        exercise(address, "tcp", String.valueOf(address.getPort()));
    }

    @Test
    void overAUnixSocketFile() throws Exception {
        Path directory = Files.createTempDirectory("manager-remote");
        Path file = directory.resolve("manager.sock");
        try {
            exercise(UnixDomainSocketAddress.of(file), "unix", file.toString());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    private void exercise(SocketAddress address, String kind, String where) throws Exception {
        BoardImpl.SHARED.clear(); // the server runs in this JVM: one board for the tests of this class
        byte[] authkey = new byte[32];
        new SecureRandom().nextBytes(authkey);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread serving = new Thread(() -> {
            try {
                Manager.builder().register("Board", Board.class, BoardImpl::shared).serve(address, authkey);
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            }
        }, "serve-forever");
        serving.setDaemon(true);
        serving.start();
        AtomicReference<Manager> connected = new AtomicReference<>();
        assertTrue(Eventually.within(BOUND, () -> {
            try {
                connected.set(Manager.connect(address, authkey));
                return true;
            } catch (IOException notYetListening) {
                return false;
            }
        }), "could not connect: " + failure.get());
        Manager manager = connected.get();
        try {
            Board board = manager.create("Board", Board.class);
            board.post("local");

            sendGarbage(address);
            byte[] wrong = authkey.clone();
            wrong[0] ^= 1;
            try (SeparateJvm refused = SeparateJvm.start(ManagerRemoteClientMain.class, kind, where,
                    HexFormat.of().formatHex(wrong))) {
                assertTrue(refused.awaitReady(), refused.stderr());
                assertEquals("AuthenticationException", refused.fact("REFUSED"));
            }
            try (SeparateJvm client = SeparateJvm.start(ManagerRemoteClientMain.class, kind, where,
                    HexFormat.of().formatHex(authkey))) {
                assertTrue(client.awaitReady(), client.stderr());
                assertNull(client.fact("REFUSED"));
                assertEquals("x", client.fact("QUEUE"));
                assertEquals("2", client.fact("POSTED"));
                assertEquals(0, client.awaitExit(60), client.stderr());
            }
            assertEquals(2, board.posts().size(), "the remote client's post is in the server: " + board.posts());
            board.post("after");
            assertEquals(3, board.posts().size(), "the server survived garbage, a wrong key and a client that left");
        } finally {
            manager.shutdown();
        }
        serving.join(BOUND.toMillis());
        assertTrue(!serving.isAlive(), "serve() returned after shutdown");
        assertNull(failure.get());
    }

    /** A client that connects, writes random bytes instead of answering the challenge, and goes. */
    private static void sendGarbage(SocketAddress address) throws IOException {
        byte[] junk = new byte[4096];
        new SecureRandom().nextBytes(junk);
        if (address instanceof InetSocketAddress) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 5000);
                OutputStream out = socket.getOutputStream();
                out.write(junk);
                out.flush();
            } catch (IOException resetByTheServer) {
                // it may close on us mid-write: what counts is that it goes on serving
            }
        } else {
            try (SocketChannel channel = SocketChannel.open(address)) {
                channel.write(ByteBuffer.wrap(junk));
            } catch (IOException resetByTheServer) {
                // as above
            }
        }
    }
}
