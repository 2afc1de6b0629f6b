package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Children;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many threads sending on one connection, and many receiving: no message is split, interleaved,
 * lost or duplicated, and each sender's messages keep their order.
 */
class ConcurrentSendTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 300;

    /** A message naming its sender and number, with a size that varies around the buffer size. */
    static byte[] message(int thread, int number) {
        int size = 16 + (number * 7919 + thread * 104_729) % 150_000;
        byte[] data = new byte[size];
        ByteBuffer.wrap(data).putInt(thread).putInt(number).putInt(size);
        for (int i = 12; i < size; i++) {
            data[i] = (byte) (thread * 31 + number + i);
        }
        return data;
    }

    /** The child: receives everything, checks it, and reports how many it got from each thread. */
    static void receiveAndCount(Connection connection) throws Exception {
        int[] next = new int[THREADS];
        while (true) {
            byte[] data = connection.recvBytes();
            if (data.length == 0) {
                break; // the end mark
            }
            ByteBuffer header = ByteBuffer.wrap(data);
            int thread = header.getInt();
            int number = header.getInt();
            if (number != next[thread] || !Arrays.equals(data, message(thread, number))) {
                connection.send("bad message " + thread + "/" + number + ", expected number " + next[thread]);
                return;
            }
            next[thread]++;
        }
        connection.send(next);
    }

    @Test
    void threadsSendingOnOneConnectionNeverInterleave() throws Exception {
        try (Children children = new Children(); Pipe pipe = Pipe.open()) {
            Connection child = pipe.second();
            ChildProcess process = children.start(() -> receiveAndCount(child));
            child.close();
            Connection parent = pipe.first();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> senders = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    senders.add(pool.submit(() -> {
                        go.await();
                        for (int n = 0; n < PER_THREAD; n++) {
                            if (n % 2 == 0) {
                                parent.sendBytes(message(thread, n));
                            } else {
                                byte[] padded = new byte[message(thread, n).length + 10];
                                System.arraycopy(message(thread, n), 0, padded, 5, padded.length - 10);
                                parent.sendBytes(padded, 5, padded.length - 10);
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> sender : senders) {
                    sender.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            parent.sendBytes(new byte[0]);
            Object report = parent.recv();
            assertTrue(report instanceof int[], () -> "child reports: " + report);
            int[] expected = new int[THREADS];
            Arrays.fill(expected, PER_THREAD);
            assertArrayEquals(expected, (int[]) report);
            assertEquals(0, Children.join(process, Duration.ofSeconds(60)));
        }
    }

    @Test
    void threadsReceivingFromOneConnectionEachGetWholeMessages() throws Exception {
        int total = THREADS * PER_THREAD;
        try (Pipe pipe = Pipe.open()) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            try {
                ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
                List<Future<?>> receivers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    receivers.add(pool.submit(() -> {
                        while (true) {
                            Object message = pipe.second().recv();
                            if (message == null) {
                                return null; // one end mark per receiver
                            }
                            byte[] data = (byte[]) message;
                            ByteBuffer header = ByteBuffer.wrap(data);
                            int thread = header.getInt();
                            int number = header.getInt();
                            if (!Arrays.equals(data, message(thread, number))) {
                                throw new AssertionError("corrupt message " + thread + "/" + number);
                            }
                            received.add(thread + "/" + number);
                        }
                    }));
                }
                Future<?> sender = pool.submit(() -> {
                    for (int n = 0; n < PER_THREAD; n++) {
                        for (int t = 0; t < THREADS; t++) {
                            pipe.first().send(message(t, n));
                        }
                    }
                    for (int t = 0; t < THREADS; t++) {
                        pipe.first().send(null);
                    }
                    return null;
                });
                sender.get(60, TimeUnit.SECONDS);
                for (Future<?> receiver : receivers) {
                    receiver.get(60, TimeUnit.SECONDS);
                }
                Set<String> distinct = new HashSet<>(received);
                assertEquals(total, received.size());
                assertEquals(total, distinct.size());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
