package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.support.Children;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Writing to a connection whose reader is gone is an EPIPE error, not a death by SIGPIPE: for
 * sockets (MSG_NOSIGNAL) and for one-way pipes (the JVM ignores SIGPIPE, also under -Xrs), in
 * this process and in a child.
 */
class SigpipeTest {
    private static final int GOT_EPIPE = 7;

    static void writeUntilBroken(Connection writer, Connection readerGoneSignal) throws Exception {
        readerGoneSignal.recv(); // the parent closed every copy of the read end
        try {
            for (int i = 0; i < 1000; i++) {
                writer.sendBytes(new byte[1024]);
            }
        } catch (SystemCallException e) {
            if (e.errnoName().equals("EPIPE")) {
                System.exit(GOT_EPIPE);
            }
            throw e;
        }
    }

    @Test
    void childWritingToAPipeWithoutReaderGetsEpipe() throws Exception {
        try (Children children = new Children(); Pipe pipe = Pipe.open(false); Pipe signal = Pipe.open()) {
            Connection writer = pipe.second();
            Connection childSignal = signal.second();
            ChildProcess child = children.start(() -> writeUntilBroken(writer, childSignal));
            writer.close();
            pipe.first().close();
            signal.first().send("reader gone");
            assertEquals(GOT_EPIPE, Children.join(child, Duration.ofSeconds(60)), "the child died of SIGPIPE (-13)?");
        }
    }

    @Test
    void writingToAClosedPeerHereIsEpipe() throws Exception {
        for (boolean duplex : new boolean[] {true, false}) {
            try (Pipe pipe = Pipe.open(duplex)) {
                pipe.first().close();
                SystemCallException broken = org.junit.jupiter.api.Assertions.assertThrows(SystemCallException.class,
                        () -> pipe.second().send("nobody listens"));
                assertEquals("EPIPE", broken.errnoName());
                assertTrue(broken.getMessage().contains(duplex ? "sendmsg" : "write"), broken.getMessage());
            }
        }
    }
}
