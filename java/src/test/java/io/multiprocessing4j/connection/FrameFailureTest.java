package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.InFaultSuite;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After a failure inside a frame the connection is unusable: every later call throws, naming the
 * first failure, instead of decoding the rest of the broken message as new messages.
 */
@InFaultSuite
@Timeout(60)
class FrameFailureTest {
    /** 64 MiB of back-to-back frames, each a complete message "forged" in the direct encoding. */
    static byte[] payloadOfForgedFrames() throws IOException {
        byte[] forged;
        try (Pipe pipe = Pipe.open()) { // how a real sender frames the string, to copy it
            pipe.first().send("forged");
            forged = new byte[64];
            int n = Sockets.receive(pipe.second().fileno(), true, forged, 0, forged.length, 1, new int[1 + Sockets.MAX_PASSED_FDS], false);
            forged = java.util.Arrays.copyOf(forged, n);
        }
        byte[] payload = new byte[64 << 20];
        for (int at = 0; at + forged.length <= payload.length; at += forged.length) {
            System.arraycopy(forged, 0, payload, at, forged.length);
        }
        return payload;
    }

    /** Runs in a child with a 32 MiB heap: the 64 MiB message cannot fit. */
    static void receiveUnderSmallHeap(Connection from, Connection report) throws Exception {
        String first;
        try {
            first = "received " + from.recvBytes().length + " bytes";
        } catch (OutOfMemoryError e) {
            first = "OutOfMemoryError";
        }
        String second;
        try {
            second = "received " + from.recv();
        } catch (IOException e) {
            second = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        report.send(first);
        report.send(second);
    }

    @Test
    void anOutOfMemoryErrorInsideAFrameLeavesTheConnectionUnusableNotOutOfStep() throws Exception {
        byte[] payload = payloadOfForgedFrames();
        ProcessContext small = ProcessContext.defaultContext().toBuilder().jvmOptions("-Xmx32m").build();
        try (Children children = new Children(); Pipe pipe = Pipe.open(); Pipe report = Pipe.open()) {
            Connection receiving = pipe.second();
            Connection reporting = report.second();
            ChildProcess child = small.newProcess(() -> receiveUnderSmallHeap(receiving, reporting));
            child.setDaemon(true);
            child.start();
            receiving.close();
            reporting.close();
            Thread sender = new Thread(() -> {
                try {
                    pipe.first().sendBytes(payload);
                } catch (IOException expected) {
                    // the child gives the connection up part way through
                }
            });
            sender.start();
            try {
                assertTrue(report.first().poll(Duration.ofSeconds(45)), "the child reported nothing");
                assertEquals("OutOfMemoryError", report.first().recv());
                String second = (String) report.first().recv();
                assertTrue(second.startsWith("IOException: connection is unusable") && second.contains("OutOfMemoryError"),
                        "after the failure: " + second);
                assertEquals(0, Children.join(child, Duration.ofSeconds(20)));
            } finally {
                pipe.first().close();
                sender.join(10_000);
                if (child.isAlive()) {
                    child.kill();
                }
            }
        }
    }

    private static void writeRaw(Connection end, byte[] bytes) throws IOException {
        int done = 0;
        while (done < bytes.length) {
            int n = Sockets.send(end.fileno(), bytes, done, bytes.length - done);
            assertTrue(n > 0, "raw send failed: " + n);
            done += n;
        }
    }

    @Test
    void aTruncatedFrameIsTheLastThingTheConnectionSays() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            writeRaw(pipe.first(), ByteBuffer.allocate(4 + 10).putInt(100).put(new byte[10]).array());
            pipe.first().close();
            IOException truncated = assertThrows(IOException.class, pipe.second()::recvBytes);
            assertTrue(truncated.getMessage().contains("end of file during message"), truncated.getMessage());
            for (int i = 0; i < 3; i++) {
                IOException later = assertThrows(IOException.class, pipe.second()::recv);
                assertTrue(later.getMessage().contains("unusable") && later.getCause() == truncated, later.getMessage());
            }
            assertThrows(IOException.class, () -> pipe.second().send("x"));
            assertThrows(IOException.class, () -> pipe.second().poll(Duration.ZERO));
        }
    }

    @Test
    void aMessageOverTheMaximumIsRefusedUnreadAndPoisonsTheConnection() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.second().setMaxMessageSize(100);
            assertEquals(100, pipe.second().maxMessageSize());
            pipe.first().sendBytes(new byte[100]);
            pipe.first().sendBytes(new byte[101]);
            pipe.first().send("after");
            assertEquals(100, pipe.second().recvBytes().length);
            StreamCorruptedException refused = assertThrows(StreamCorruptedException.class, pipe.second()::recvBytes);
            assertTrue(refused.getMessage().contains("101 bytes, more than the maximum of 100"), refused.getMessage());
            IOException later = assertThrows(IOException.class, pipe.second()::recv);
            assertTrue(later.getMessage().contains("more than the maximum of 100"), later.getMessage());
            assertTrue(pipe.second().isClosed());
        }
    }

    @Test
    void theDefaultMaximumIsOneGibibyte() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertEquals(1L << 30, pipe.second().maxMessageSize());
            writeRaw(pipe.first(), ByteBuffer.allocate(4).putInt((1 << 30) + 1).array());
            StreamCorruptedException refused = assertThrows(StreamCorruptedException.class, pipe.second()::recvBytes);
            assertTrue(refused.getMessage().contains("more than the maximum of 1073741824"), refused.getMessage());
        }
    }

    @Test
    void aFailedSendStopsLaterSendsButNotWhatWasAlreadyReceivable() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.first().send("last words");
            pipe.first().close();
            // the first send may still land in the socket buffer of a peer that has closed; one fails soon
            IOException failed = null;
            for (int i = 0; i < 100 && failed == null; i++) {
                try {
                    pipe.second().sendBytes(new byte[1024]);
                } catch (IOException e) {
                    failed = e;
                }
            }
            assertTrue(failed != null, "sends to a closed peer kept succeeding");
            IOException later = assertThrows(IOException.class, () -> pipe.second().send("again"));
            assertTrue(later.getCause() == failed || later == failed, String.valueOf(later));
            assertEquals("last words", pipe.second().recv());
        }
    }
}
