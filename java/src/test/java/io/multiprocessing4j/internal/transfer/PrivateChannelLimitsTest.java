package io.multiprocessing4j.internal.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.InFaultSuite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The library's own channels (a child's target, pool tasks and results, queue messages) read
 * through the same guards: any class, but no runaway hashing, no array claimed on a few bytes, and
 * a stack overflow reported as an IOException; a linked structure a thread's stack can hold still
 * passes (no depth limit of the strangers' kind).
 */
@InFaultSuite
class PrivateChannelLimitsTest {
    static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        Node next;
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static Object read(byte[] bytes) throws Exception {
        try (LimitedObjectInput in = Serialization.objectInput(bytes, 0, bytes.length)) {
            return in.readLimited();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHashCodeBombIsRefused() throws Exception {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("unlike t2");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        byte[] bytes = serialize(root);
        InvalidObjectException refused = assertThrows(InvalidObjectException.class, () -> read(bytes));
        assertTrue(refused.getMessage().contains("hashing"), refused.getMessage());
    }

    @Test
    void anArrayClaimedOnAFewBytesIsRefused() throws Exception {
        byte[] bytes = serialize(new double[0]);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, 100_000_000);
        InvalidClassException refused = assertThrows(InvalidClassException.class, () -> read(bytes));
        assertTrue(refused.getMessage().contains("cannot fit"), refused.getMessage());
    }

    @Test
    void aLinkedStructureOfHundredsPassesAndTooDeepIsReportedNotThrown() throws Exception {
        Node head = null;
        for (int i = 0; i < 400; i++) {
            Node node = new Node();
            node.next = head;
            head = node;
        }
        Node read = (Node) read(serialize(head));
        int length = 0;
        for (Node node = read; node != null; node = node.next) {
            length++;
        }
        assertEquals(400, length);

        Map<String, Object> deep = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> outer = new HashMap<>();
            outer.put("k", deep);
            deep = outer;
        }
        Map<String, Object> message = deep;
        byte[][] bytes = new byte[1][];
        Thread writer = new Thread(null, () -> {
            try {
                bytes[0] = serialize(message);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "big-stack", 1L << 30);
        writer.start();
        writer.join(30_000);
        Object[] outcome = new Object[1];
        Thread reader = new Thread(null, () -> {
            try {
                outcome[0] = read(bytes[0]);
            } catch (Throwable t) {
                outcome[0] = t;
            }
        }, "small-stack", 256 << 10);
        reader.start();
        reader.join(30_000);
        assertTrue(outcome[0] instanceof InvalidObjectException, String.valueOf(outcome[0]));
    }
}
