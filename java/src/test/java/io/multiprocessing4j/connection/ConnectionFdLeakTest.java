package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.Spares;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every fd a connection, pipe, listener or client creates (or receives) is close-on-exec, and
 * none is left open once they are closed.
 */
class ConnectionFdLeakTest {
    private static Set<Integer> openFds() {
        String[] names = new File("/proc/self/fd").list();
        Set<Integer> fds = new HashSet<>();
        for (String name : names) {
            fds.add(Integer.parseInt(name));
        }
        return fds;
    }

    static void echoOnce(Connection connection) throws Exception {
        connection.send(connection.recv());
        connection.close();
    }

    /** Everything at once: both pipe kinds, each listener kind, a passed connection, a child. */
    private static void workload() throws Exception {
        try (Children children = new Children()) {
            Pipe duplex = Pipe.open();
            Pipe oneWay = Pipe.open(false);
            Listener unix = new Listener();
            Listener abstractName = new Listener(AbstractUnixAddress.random(), "k".getBytes());
            Listener tcp = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Connection unixClient = Client.connect(unix.address());
            Connection unixServer = unix.accept();
            SocketAddress abstractAddress = abstractName.address();
            java.util.concurrent.CompletableFuture<Connection> authenticated =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return Client.connect(abstractAddress, "k".getBytes());
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
            Connection abstractServer = abstractName.accept();
            Connection abstractClient = authenticated.get();
            Connection tcpClient = Client.connect(tcp.address());
            Connection tcpServer = tcp.accept();
            unixClient.send(duplex.second());
            Connection received = (Connection) unixServer.recv();
            Connection childEnd = received;
            ChildProcess child = children.start(() -> echoOnce(childEnd));
            duplex.first().send("x");
            assertEquals("x", duplex.first().recv());
            assertEquals(0, Children.join(child, Duration.ofSeconds(60)));
            Set<Integer> open = openFds();
            for (Connection connection : List.of(duplex.first(), duplex.second(), oneWay.first(), oneWay.second(),
                    unixClient, unixServer, abstractClient, abstractServer, tcpClient, tcpServer, received)) {
                assertTrue(open.contains(connection.fileno()), "the workload's fds are seen: " + connection);
            }
            for (AutoCloseable closeable : List.of(duplex, oneWay, unixClient, unixServer, abstractClient,
                    abstractServer, tcpClient, tcpServer, received, unix, abstractName, tcp)) {
                closeable.close();
            }
        }
    }

    /**
     * The JDK's own file I/O opens without O_CLOEXEC (a FileInputStream, Files.readAllBytes), and
     * any thread of the JVM may be reading a file just now: such an fd is harmless here, since a
     * spawned child closes every fd it was not given, and it is closed again a moment later. An fd
     * that stays open without the flag is the library's, and a defect.
     */
    private static void assertCloseOnExecUnlessTransient(int fd) throws Exception {
        if (ProcessTable.isCloseOnExec(fd)) {
            return;
        }
        Path link = Path.of("/proc/self/fd/" + fd);
        String target = readLinkOrNull(link);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            String now = readLinkOrNull(link);
            if (now == null || !now.equals(target) || ProcessTable.isCloseOnExec(fd)) {
                return; // closed (or reused) meanwhile: a passing fd of some other reader
            }
            Thread.sleep(20);
        }
        fail("fd " + fd + " (" + target + ") stays open without close-on-exec: "
                + Arrays.toString(new File("/proc/self/fd").list()));
    }

    /**
     * How many fds of each kind are open ("socket:[]", "anon_inode:[pidfd]", a file's path). Kinds,
     * not numbers: the library's housekeeping may replace a warm spare meanwhile, closing its pidfd
     * and opening the new one's under another number, which is no leak; more of a kind than before is.
     */
    private static Map<String, Integer> kinds(Set<Integer> fds) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (int fd : fds) {
            String target = readLinkOrNull(Path.of("/proc/self/fd/" + fd));
            if (target != null) {
                kinds.merge(target.replaceAll("\\[\\d+\\]", "[]"), 1, Integer::sum);
            }
        }
        return kinds;
    }

    private static void assertNoMoreOfAnyKind(Map<String, Integer> before, String when) {
        Map<String, Integer> now = kinds(openFds());
        Map<String, Integer> grown = new TreeMap<>();
        now.forEach((kind, count) -> {
            if (count > before.getOrDefault(kind, 0)) {
                grown.put(kind, count - before.getOrDefault(kind, 0));
            }
        });
        assertEquals(Map.of(), grown, "fds left open " + when + " (more of these kinds than before): "
                + ProcessTable.openFds());
    }

    private static String readLinkOrNull(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void nothingIsLeftOpenAndEverythingWasCloseOnExec() throws Exception {
        workload(); // warms up the library's own long-lived fds (exit watcher, ...)
        // The child's memory holder ends (and its pidfd closes) a moment after the child; under
        // warm, the spare the child took is replaced in the background (a pidfd and a socket more).
        assertTrue(ProcessTable.awaitHoldersOfEndedChildren(Duration.ofSeconds(10)));
        Spares.settle();
        Set<Integer> before = openFds();
        Map<String, Integer> kindsBefore = kinds(before);
        workload();
        assertTrue(ProcessTable.awaitHoldersOfEndedChildren(Duration.ofSeconds(10)));
        Spares.settle();
        assertNoMoreOfAnyKind(kindsBefore, "after closing everything");

        // Those fds are closed now; re-run the check on live ones: create, inspect, close.
        try (Pipe duplex = Pipe.open(); Pipe oneWay = Pipe.open(false); Listener listener = new Listener();
             Connection client = Client.connect(listener.address()); Connection server = listener.accept()) {
            client.send(duplex.first());
            try (Connection received = (Connection) server.recv()) {
                Set<Integer> live = openFds();
                live.removeAll(before);
                for (int fd : live) {
                    assertCloseOnExecUnlessTransient(fd);
                }
                assertTrue(ProcessTable.isCloseOnExec(received.fileno()));
                assertTrue(ProcessTable.isCloseOnExec(oneWay.first().fileno()));
                assertTrue(ProcessTable.isCloseOnExec(server.fileno()));
                assertTrue(ProcessTable.isCloseOnExec(client.fileno()));
            }
        }
        assertNoMoreOfAnyKind(kindsBefore, "after closing the live ones");
    }
}
