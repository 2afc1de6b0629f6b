package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Children;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Objects whose encoding spans several of the sender's segments (over 64 MiB) arrive whole from
 * one child at another: one message each, nothing lost or doubled at the seams, whether the value
 * is an array of arrays (Java serialization) or one byte array over the direct encoding's limit.
 * The children hold the data, so the test JVM's heap is not spent on it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LargeMessageTest {
    private static byte[] filled(int size, int seed) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 13 + seed + (i >>> 16));
        }
        return data;
    }

    private static byte[][] parts() {
        return new byte[][] {filled(40 << 20, 1), filled(35 << 20, 2)};
    }

    private static byte[] overDirectLimit() {
        return filled((64 << 20) + 3, 3);
    }

    static void send(Connection to) throws Exception {
        to.send(parts());
        to.send(overDirectLimit());
        to.send("after");
    }

    static void receive(Connection from, Connection report) throws Exception {
        byte[][] parts = (byte[][]) from.recv();
        report.send(Arrays.deepEquals(parts, parts()) ? "parts intact" : "parts differ");
        parts = null;
        report.send(Arrays.equals((byte[]) from.recv(), overDirectLimit()) ? "array intact" : "array differs");
        report.send(from.recv());
    }

    @Test
    void messagesSpanningSeveralSegmentsArriveWholeBetweenChildren() throws Exception {
        try (Children children = new Children(); Pipe pipe = Pipe.open(); Pipe report = Pipe.open()) {
            Connection sending = pipe.first();
            Connection receiving = pipe.second();
            Connection reporting = report.second();
            ChildProcess sender = children.start(() -> send(sending));
            ChildProcess receiver = children.start(() -> receive(receiving, reporting));
            // only the children hold these ends now: if one dies, the other (and we) see EOF
            sending.close();
            receiving.close();
            reporting.close();
            assertEquals("parts intact", report.first().recv());
            assertEquals("array intact", report.first().recv());
            assertEquals("after", report.first().recv());
            Children.assertExitsCleanly(sender, Duration.ofSeconds(30));
            Children.assertExitsCleanly(receiver, Duration.ofSeconds(30));
        }
    }
}
