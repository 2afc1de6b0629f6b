package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.errors.BufferTooShortException;
import io.multiprocessing4j.support.Children;
import java.io.EOFException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pipe and Connection across real child processes: duplex and one-way, objects and bytes, EOF. */
class PipeTest {
    private static final Duration JOIN = Duration.ofSeconds(60);

    /** The child's side of the echo tests: sends back every message until the parent closes. */
    static void echo(Connection connection) throws Exception {
        try (connection) {
            while (true) {
                Object message;
                try {
                    message = connection.recv();
                } catch (EOFException parentClosed) {
                    return;
                }
                connection.send(message);
            }
        }
    }

    record Point(int x, int y, String label) implements Serializable {
    }

    @Test
    void duplexPipeCarriesObjectsBothWaysAcrossProcesses() throws Exception {
        List<Object> messages = new ArrayList<>(Arrays.asList(
                null, "", "Hello", "Grüße, 世界", "lone surrogate \ud800 stays", "x".repeat(100_000),
                42, -1L, 3.5, 2.5f, (short) 7, (byte) -3, 'é', true, false,
                new byte[] {1, 2, 3}, new int[] {1, -2, Integer.MAX_VALUE}, new long[] {Long.MIN_VALUE, 5},
                new double[] {Double.NaN, -0.0, 1e300},
                Arrays.asList("Hello", "World", null), new Point(1, 2, "p"), Map.of("k", List.of(1, 2))));
        HashMap<String, Object> nested = new HashMap<>();
        nested.put("big", "y".repeat(300_000)); // a serialized payload larger than the read buffer
        messages.add(nested);
        try (Children children = new Children(); Pipe pipe = Pipe.open()) {
            Connection child = pipe.second();
            ChildProcess process = children.start(() -> echo(child));
            child.close(); // the child has its own copy now, as in Python
            Connection parent = pipe.first();
            for (Object message : messages) {
                parent.send(message);
                Object echoed = parent.recv();
                assertDeepEquals(message, echoed);
            }
            parent.close();
            assertEquals(0, Children.join(process, JOIN));
        }
    }

    private static void assertDeepEquals(Object expected, Object actual) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass());
        assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual}),
                () -> "sent " + expected + ", got back " + actual);
    }

    static void sendGreetingsAndExit(Connection writer) throws Exception {
        writer.send(Arrays.asList("Hello", "World", null));
        writer.sendBytes("raw".getBytes());
        writer.close();
    }

    @Test
    void oneWayPipeDeliversFromChildThenEof() throws Exception {
        try (Children children = new Children(); Pipe pipe = Pipe.open(false)) {
            Connection reader = pipe.first();
            Connection writer = pipe.second();
            assertTrue(reader.isReadable());
            assertFalse(reader.isWritable());
            assertFalse(writer.isReadable());
            assertTrue(writer.isWritable());
            ChildProcess process = children.start(() -> sendGreetingsAndExit(writer));
            writer.close();
            assertEquals(Arrays.asList("Hello", "World", null), reader.recv());
            assertArrayEquals("raw".getBytes(), reader.recvBytes());
            assertThrows(EOFException.class, reader::recv);
            assertThrows(EOFException.class, reader::recvBytes); // and again: EOF stays EOF
            assertEquals(0, Children.join(process, JOIN));
        }
    }

    @Test
    void oneWayEndsRefuseTheWrongDirectionWithPythonsMessages() throws Exception {
        try (Pipe pipe = Pipe.open(false)) {
            IllegalStateException readOnly = assertThrows(IllegalStateException.class, () -> pipe.first().send("x"));
            assertEquals("connection is read-only", readOnly.getMessage());
            IllegalStateException writeOnly = assertThrows(IllegalStateException.class, () -> pipe.second().recv());
            assertEquals("connection is write-only", writeOnly.getMessage());
            assertThrows(IllegalStateException.class, () -> pipe.second().poll());
        }
    }

    @Test
    void closedConnectionRefusesEverythingButClose() throws Exception {
        Pipe pipe = Pipe.open();
        Connection connection = pipe.first();
        connection.close();
        connection.close(); // idempotent
        assertTrue(connection.isClosed());
        assertEquals("handle is closed", assertThrows(IllegalStateException.class, () -> connection.send(1)).getMessage());
        assertThrows(IllegalStateException.class, connection::recv);
        assertThrows(IllegalStateException.class, connection::poll);
        assertThrows(IllegalStateException.class, connection::fileno);
        assertThrows(EOFException.class, pipe.second()::recv); // the peer sees the close
        pipe.close();
    }

    @Test
    void sendBytesWithOffsetAndSizeAndRecvBytesInto() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            byte[] data = "0123456789".getBytes();
            pipe.first().sendBytes(data, 2, 5);
            pipe.first().sendBytes(data, 10, 0);
            pipe.first().sendBytes(data);
            assertArrayEquals("23456".getBytes(), pipe.second().recvBytes());
            byte[] into = new byte[8];
            Arrays.fill(into, (byte) '.');
            assertEquals(0, pipe.second().recvBytesInto(into, 3));
            BufferTooShortException tooShort = assertThrows(BufferTooShortException.class,
                    () -> pipe.second().recvBytesInto(into, 3));
            assertArrayEquals(data, tooShort.message()); // consumed, and handed over whole
            pipe.first().sendBytes(data, 0, 4);
            assertEquals(4, pipe.second().recvBytesInto(into, 3));
            assertArrayEquals("...0123.".getBytes(), into);
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.first().sendBytes(data, 8, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.first().sendBytes(data, -1, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.second().recvBytesInto(into, 9));
            assertFalse(pipe.second().poll()); // the refused calls sent nothing
        }
    }

    @Test
    void largeMessagesGoStraightIntoTheCallersBuffer() throws Exception {
        for (boolean duplex : new boolean[] {true, false}) {
            try (Pipe pipe = Pipe.open(duplex)) {
                byte[] data = new byte[300_000];
                new java.util.Random(3).nextBytes(data);
                Thread sender = new Thread(() -> {
                    try {
                        pipe.second().sendBytes(data);
                        pipe.second().sendBytes(data, 1, data.length - 1);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                sender.start();
                byte[] into = new byte[data.length + 7];
                assertEquals(data.length, pipe.first().recvBytesInto(into, 7));
                assertArrayEquals(data, Arrays.copyOfRange(into, 7, into.length));
                BufferTooShortException tooShort = assertThrows(BufferTooShortException.class,
                        () -> pipe.first().recvBytesInto(into, 9));
                assertArrayEquals(Arrays.copyOfRange(data, 1, data.length), tooShort.message());
                sender.join(30_000);
            }
        }
    }

    @Test
    void bytesSentAsObjectsAndObjectsReceivedAsBytesAreDistinct() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.first().sendBytes(new byte[0]);
            // an empty byte message is no object: a clear error, and the connection goes on
            assertThrows(java.io.StreamCorruptedException.class, pipe.second()::recv);
            pipe.first().send("after");
            assertEquals("after", pipe.second().recv());
        }
    }

    @Test
    void messageOverMaxLengthIsRefusedAndClosesTheConnection() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.first().sendBytes(new byte[11]);
            java.io.IOException refused = assertThrows(java.io.IOException.class, () -> pipe.second().recvBytes(10));
            assertTrue(refused.getMessage().contains("bad message length"), refused.getMessage());
            assertTrue(pipe.second().isClosed());
            assertThrows(IllegalArgumentException.class, () -> pipe.first().recvBytes(-1));
        }
    }

    @Test
    void largeMessagesArriveWhole() throws Exception {
        try (Children children = new Children(); Pipe pipe = Pipe.open()) {
            Connection child = pipe.second();
            ChildProcess process = children.start(() -> echo(child));
            child.close();
            for (int size : new int[] {65_536 - 5, 65_536, 1 << 20, (16 << 20) + 3, 40 << 20}) {
                byte[] data = new byte[size];
                new java.util.Random(size).nextBytes(data);
                pipe.first().send(data);
                assertArrayEquals(data, (byte[]) pipe.first().recv(), "size " + size);
            }
            pipe.first().close();
            assertEquals(0, Children.join(process, JOIN));
        }
    }

    @Test
    void pollTimesOutAfterAboutTheTimeout() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertFalse(pipe.second().poll());
            long began = System.nanoTime();
            assertFalse(pipe.second().poll(Duration.ofMillis(200)));
            long waitedMillis = (System.nanoTime() - began) / 1_000_000;
            assertTrue(waitedMillis >= 195 && waitedMillis < 5_000, "waited " + waitedMillis + " ms");
            assertFalse(pipe.second().poll(Duration.ofMillis(-5)));
            pipe.first().send("now");
            assertTrue(pipe.second().poll(Duration.ofSeconds(10)));
            assertTrue(pipe.second().poll());
            assertEquals("now", pipe.second().recv());
            assertFalse(pipe.second().poll());
            pipe.first().close();
            assertTrue(pipe.second().poll(Duration.ofSeconds(10)), "the end of the stream is ready too");
        }
    }

    static void sendLater(Connection connection) throws Exception {
        Thread.sleep(300);
        connection.send("late");
        connection.close();
    }

    @Test
    void pollWaitsForAMessageFromAnotherProcess() throws Exception {
        try (Children children = new Children(); Pipe pipe = Pipe.open()) {
            Connection child = pipe.second();
            ChildProcess process = children.start(() -> sendLater(child));
            child.close();
            assertTrue(pipe.first().poll(Duration.ofSeconds(30)));
            assertEquals("late", pipe.first().recv());
            assertEquals(0, Children.join(process, JOIN));
        }
    }
}
