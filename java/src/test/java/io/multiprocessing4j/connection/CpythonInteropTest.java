package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Byte messages are framed as CPython frames them: a Python {@code multiprocessing.connection}
 * client exchanges {@code send_bytes}/{@code recv_bytes} with our listener. Skipped without python3.
 */
class CpythonInteropTest {
    private static final String CLIENT = String.join("\n",
            "import sys",
            "from multiprocessing.connection import Client",
            "c = Client(sys.argv[1])",
            "c.send_bytes(b'from python')",
            "c.send_bytes(b'x' * 100000)",  // CPython sends header and payload separately above 16 KiB
            "data = c.recv_bytes()",
            "c.send_bytes(b'echo:' + data)",
            "c.send_bytes(bytes(range(256)), 16, 32)",
            "c.close()");

    private static boolean pythonAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "python3").canExecute()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void pythonClientAndJavaListenerExchangeBytes() throws Exception {
        assumeTrue(pythonAvailable(), "python3 is not installed");
        try (Listener listener = new Listener()) {
            String path = ((UnixDomainSocketAddress) listener.address()).getPath().toString();
            Process python = new ProcessBuilder("python3", "-c", CLIENT, path).redirectErrorStream(true).start();
            // Bounds every wait below: a client that never connects ends, which closes the listener
            // and wakes accept(); one that hangs is killed, which gives the connection an EOF.
            python.onExit().thenRun(() -> closeQuietly(listener));
            CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(python::destroyForcibly);
            try (Connection connection = listener.accept()) {
                assertArrayEquals("from python".getBytes(StandardCharsets.US_ASCII), connection.recvBytes());
                assertArrayEquals("x".repeat(100_000).getBytes(StandardCharsets.US_ASCII), connection.recvBytes());
                byte[] big = new byte[70_000];
                java.util.Arrays.fill(big, (byte) 'j');
                connection.sendBytes(big);
                byte[] echoed = connection.recvBytes();
                assertEquals(5 + big.length, echoed.length);
                assertEquals("echo:", new String(echoed, 0, 5, StandardCharsets.US_ASCII));
                byte[] slice = connection.recvBytes();
                assertEquals(32, slice.length);
                assertEquals(16, slice[0]);
                assertThrowsEof(connection);
            } finally {
                if (!python.waitFor(30, TimeUnit.SECONDS)) {
                    python.destroyForcibly();
                }
            }
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, python.exitValue(), output);
        }
    }

    private static void closeQuietly(Listener listener) {
        try {
            listener.close();
        } catch (IOException ignored) {
            // the test reports what went wrong with the client
        }
    }

    private static void assertThrowsEof(Connection connection) {
        org.junit.jupiter.api.Assertions.assertThrows(java.io.EOFException.class, connection::recvBytes);
    }
}
