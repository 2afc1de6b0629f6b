package io.multiprocessing4j.internal.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.connection.AbstractUnixAddress;
import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.connection.MessageChannel;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.OtherUserProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool's worker endpoint: silent clients do not delay a worker's arrival; a peer of another
 * user is refused before a byte of it is read.
 */
@InFaultSuite
@Timeout(60)
class WorkerAcceptorTest {
    @Test
    void aWorkerArrivesPromptlyWhileSilentClientsAreConnected() throws Exception {
        try (WorkerAcceptor acceptor = new WorkerAcceptor("test-pool")) {
            AbstractUnixAddress address = AbstractUnixAddress.of(acceptor.addressBytes());
            List<Connection> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    silent.add(Client.connect(address));
                }
                Thread.sleep(200); // their token reads are under way
                WorkerAcceptor.Expectation expectation = acceptor.expect();
                long start = System.nanoTime();
                try (Connection worker = Client.connect(address)) {
                    worker.sendBytes(expectation.token);
                    MessageChannel arrived = expectation.connection.get(3, TimeUnit.SECONDS);
                    arrived.sendBytes(new byte[] {42}, 0, 1);
                    assertArrayEquals(new byte[] {42}, worker.recvBytes());
                    arrived.close();
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < 3000, "the worker arrived after " + millis + " ms");
            } finally {
                for (Connection connection : silent) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void aPeerOfAnotherUserIsRefusedUnread() throws Exception {
        assumeTrue(OtherUserProbe.available(), "needs root and setpriv to run a client as nobody");
        try (WorkerAcceptor acceptor = new WorkerAcceptor("test-pool")) {
            String probe = OtherUserProbe.run(AbstractUnixAddress.of(acceptor.addressBytes()));
            assertTrue(probe.startsWith("CLOSED "), "the probe said: " + probe);
            long millis = Long.parseLong(probe.split(" ")[1]);
            assertTrue(millis < 2000, "refused only after " + millis + " ms (the token deadline is 5 s)");
        }
    }
}
