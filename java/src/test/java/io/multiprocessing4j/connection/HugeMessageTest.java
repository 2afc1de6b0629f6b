package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.support.Children;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A message over 2 GiB (CPython's long header, segments on both sides) between two children.
 * Needs about 10 GB of memory and a minute, so it runs only with
 * {@code -Dmultiprocessing4j.test.huge=true}.
 */
class HugeMessageTest {
    private static final int PART = (1 << 30) + (1 << 25); // two of them: just over 2 GiB

    static byte[] part(int seed) {
        byte[] data = new byte[PART];
        for (int i = 0; i < data.length; i += 4096) {
            data[i] = (byte) (seed + i / 4096);
        }
        data[data.length - 1] = (byte) seed;
        return data;
    }

    static void sendHuge(Connection connection) throws Exception {
        connection.send(new byte[][] {part(1), part(2)});
        connection.recv(); // keeps the process (and its end) alive until the receiver is done
    }

    static void receiveHuge(Connection from, Connection report) throws Exception {
        from.setMaxMessageSize(Long.MAX_VALUE); // over the default 1 GiB
        byte[][] parts = (byte[][]) from.recv();
        boolean intact = parts.length == 2 && java.util.Arrays.equals(parts[0], part(1))
                && java.util.Arrays.equals(parts[1], part(2));
        from.send("done");
        report.send(intact);
    }

    @Test
    void messageOverTwoGibibytesTravelsBetweenChildren() throws Exception {
        assumeTrue(Boolean.getBoolean("multiprocessing4j.test.huge"), "set -Dmultiprocessing4j.test.huge=true");
        ProcessContext big = ProcessContext.defaultContext().toBuilder().jvmOptions("-Xmx7g").build();
        try (Pipe pipe = Pipe.open(); Pipe report = Pipe.open()) {
            Connection sending = pipe.first();
            Connection receiving = pipe.second();
            Connection reportEnd = report.second();
            ChildProcess sender = big.newProcess(() -> sendHuge(sending));
            ChildProcess receiver = big.newProcess(() -> receiveHuge(receiving, reportEnd));
            sender.setDaemon(true);
            receiver.setDaemon(true);
            sender.start();
            receiver.start();
            // only the children hold these ends now: if one dies, the other (and we) see EOF
            sending.close();
            receiving.close();
            reportEnd.close();
            try {
                assertEquals(Boolean.TRUE, report.first().recv());
                assertEquals(0, Children.join(receiver, Duration.ofMinutes(3)));
                assertEquals(0, Children.join(sender, Duration.ofMinutes(3)));
            } finally {
                for (ChildProcess child : new ChildProcess[] {sender, receiver}) {
                    if (child.isAlive()) {
                        child.kill();
                    }
                }
            }
        }
    }
}
