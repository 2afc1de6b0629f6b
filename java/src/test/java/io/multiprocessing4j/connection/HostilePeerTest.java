package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.support.InFaultSuite;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A peer that writes raw bytes instead of frames: every kind of garbage gets a clear
 * {@link IOException}, no hang, no absurd allocation (the tests run with -Xmx512m, so a
 * gigabyte-sized allocation would fail them), and no leaked fd.
 */
@InFaultSuite
class HostilePeerTest {
    /** Writes {@code bytes} raw on the peer end of {@code pipe}, then closes it. */
    private static void writeRawAndClose(Pipe pipe, byte[] bytes) throws IOException {
        int fd = pipe.first().fileno();
        int done = 0;
        while (done < bytes.length) {
            int n = Sockets.send(fd, bytes, done, bytes.length - done);
            assertTrue(n > 0, "raw send failed: " + n);
            done += n;
        }
        pipe.first().close();
    }

    private static byte[] frame(int header, byte... payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(header).put(payload).array();
    }

    @Test
    void negativeLengthIsAProtocolErrorThatClosesTheConnection() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            writeRawAndClose(pipe, frame(-5, new byte[10]));
            StreamCorruptedException error = assertThrows(StreamCorruptedException.class, pipe.second()::recv);
            assertTrue(error.getMessage().contains("negative length -5"), error.getMessage());
            assertTrue(pipe.second().isClosed());
        }
    }

    @Test
    void absurdLengthClaimIsNotAllocatedUpFront() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            writeRawAndClose(pipe, frame(1_000_000_000, "only a few bytes".getBytes()));
            IOException error = assertThrows(IOException.class, pipe.second()::recvBytes);
            assertTrue(error.getMessage().contains("got end of file during message"), error.getMessage());
            IOException after = assertThrows(IOException.class, pipe.second()::recvBytes,
                    "after the truncated message: unusable");
            assertTrue(after.getCause() == error, after.toString());
        }
        try (Pipe pipe = Pipe.open()) {
            writeRawAndClose(pipe, frame(2_000_000_000, "only a few bytes".getBytes()));
            IOException error = assertThrows(IOException.class, pipe.second()::recvBytes);
            assertTrue(error.getMessage().contains("more than the maximum"), error.getMessage());
        }
        try (Pipe pipe = Pipe.open()) {
            byte[] huge = ByteBuffer.allocate(12 + 5).putInt(-1).putLong(100L << 30).put(new byte[5]).array();
            writeRawAndClose(pipe, huge); // claims 100 GiB, CPython's long header
            assertThrows(IOException.class, pipe.second()::recv);
        }
    }

    /**
     * Thirty peers each announce a message of 900 MB and then say nothing: the receivers, blocked
     * in recvBytes, hold at most a first chunk each (1 MiB), not an array sized on the header's
     * word (with 16 MiB up front, 480 MiB: more than the test JVM's heap).
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void silentPeersAnnouncingHugeMessagesCostLittleMemory() throws Exception {
        int peers = 30;
        java.util.List<Pipe> pipes = new java.util.ArrayList<>();
        java.util.List<Thread> receivers = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger outOfMemory = new java.util.concurrent.atomic.AtomicInteger();
        long before = usedHeapAfterGc();
        try {
            for (int i = 0; i < peers; i++) {
                Pipe pipe = Pipe.open();
                pipes.add(pipe);
                byte[] header = ByteBuffer.allocate(4 + 1000).putInt(900_000_000).array();
                assertEquals(header.length, Sockets.send(pipe.first().fileno(), header, 0, header.length));
                Thread receiver = new Thread(() -> {
                    try {
                        pipe.second().recvBytes();
                    } catch (IOException closedByTheTest) {
                        // expected at the end
                    } catch (OutOfMemoryError e) {
                        outOfMemory.incrementAndGet();
                    }
                });
                receiver.setDaemon(true);
                receiver.start();
                receivers.add(receiver);
            }
            Thread.sleep(1000); // every receiver has read the header and its bytes, and waits for more
            long grown = usedHeapAfterGc() - before;
            assertEquals(0, outOfMemory.get(), "receivers ran out of memory");
            assertTrue(grown < 64L << 20, "30 silent peers took " + (grown >> 20) + " MiB of heap");
        } finally {
            for (Pipe pipe : pipes) {
                pipe.close();
            }
            for (Thread receiver : receivers) {
                receiver.join(10_000);
            }
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void claimsBeyondOneArrayAreRefusedForBytes() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.second().setMaxMessageSize(Long.MAX_VALUE);
            byte[] huge = ByteBuffer.allocate(12).putInt(-1).putLong(3L << 30).array();
            writeRawAndClose(pipe, huge);
            IOException error = assertThrows(IOException.class, pipe.second()::recvBytes);
            assertTrue(error.getMessage().contains("do not fit in a Java array"), error.getMessage());
            assertTrue(pipe.second().isClosed());
        }
    }

    @Test
    void cpythonsLongHeaderIsUnderstood() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            writeRawAndClose(pipe, ByteBuffer.allocate(12 + 5).putInt(-1).putLong(5).put("hello".getBytes()).array());
            assertArrayEquals("hello".getBytes(), pipe.second().recvBytes());
        }
    }

    @Test
    void announcedFdsThatNeverCameAreAProtocolError() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            writeRawAndClose(pipe, ByteBuffer.allocate(16 + 1).putInt(-2).putInt(1).putLong(1).put((byte) 'N').array());
            StreamCorruptedException error = assertThrows(StreamCorruptedException.class, pipe.second()::recv);
            assertTrue(error.getMessage().contains("file descriptors"), error.getMessage());
            assertTrue(pipe.second().isClosed());
        }
    }

    /**
     * Counted by what the fds are (the smuggled sockets' inodes), not by how many fds are open: a
     * warm spare replaced in the background meanwhile opens and closes fds of its own.
     */
    @Test
    void unannouncedFdsAreClosedNotLeaked() throws Exception {
        try (Pipe pipe = Pipe.open(); Pipe smuggled = Pipe.open()) {
            Set<String> smuggledSockets = Set.of(FdCount.target(smuggled.first().fileno()),
                    FdCount.target(smuggled.second().fileno()));
            String receiver = FdCount.target(pipe.second().fileno());
            byte[] message = frame(2, (byte) 'i', (byte) 0); // a malformed int, too
            int[] fds = {smuggled.first().fileno(), smuggled.second().fileno()};
            Sockets.sendRun(pipe.first().fileno(), true, null, 0, message, 0, message.length, fds, false);
            assertThrows(StreamCorruptedException.class, pipe.second()::recv);
            assertEquals(4, FdCount.openOf(smuggledSockets), "the originals and the copies that arrived");
            pipe.second().close(); // closes the two fds that arrived with no message to claim them
            assertEquals(2, FdCount.openOf(smuggledSockets), "only the originals");
            assertEquals(0, FdCount.openOf(Set.of(receiver)));
        }
    }

    @Test
    void unknownTypesAndMalformedValuesAreClearAndLeaveTheConnectionUsable() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.first().sendBytes(new byte[] {'?', 1, 2});
            pipe.first().sendBytes(new byte[] {'i', 1, 2});
            pipe.first().sendBytes(new byte[] {'S', 1, 2, 3});
            pipe.first().sendBytes(new byte[] {'u', 0});
            pipe.first().send("fine");
            assertTrue(assertThrows(StreamCorruptedException.class, pipe.second()::recv).getMessage()
                    .contains("unknown message type 0x3f"));
            assertThrows(StreamCorruptedException.class, pipe.second()::recv);
            assertThrows(StreamCorruptedException.class, pipe.second()::recv);
            assertThrows(StreamCorruptedException.class, pipe.second()::recv);
            assertEquals("fine", pipe.second().recv());
        }
    }

    /**
     * Random byte streams, some starting with a plausible header: each receive returns a value or
     * throws an IOException; the loop always ends (at EOF or when a protocol error closes the
     * connection); no fd is left over: none of the pipes' own sockets, and no more fds of any other
     * kind than before (sockets and pidfds apart, which warm spares replaced in the background
     * open and close meanwhile).
     */
    @Test
    void fuzzedStreamsOnlyEverGiveValuesOrIOExceptions() throws Exception {
        Random random = new Random(20240605);
        FdCount.settled();
        Map<String, Integer> before = FdCount.kindsApartFromSpares();
        Set<String> pipeSockets = new HashSet<>();
        int values = 0;
        int errors = 0;
        for (int round = 0; round < 2000; round++) {
            try (Pipe pipe = Pipe.open()) {
                pipeSockets.add(FdCount.target(pipe.first().fileno()));
                pipeSockets.add(FdCount.target(pipe.second().fileno()));
                writeRawAndClose(pipe, randomStream(random));
                Connection connection = pipe.second();
                for (int receive = 0; receive < 1000 && !connection.isClosed(); receive++) {
                    try {
                        if (random.nextBoolean()) {
                            connection.recv();
                        } else {
                            connection.recvBytes(random.nextBoolean() ? 1 << 20 : Integer.MAX_VALUE);
                        }
                        values++;
                    } catch (EOFException end) {
                        break;
                    } catch (IOException expected) {
                        errors++;
                    }
                }
            }
        }
        assertTrue(values > 100 && errors > 100, values + " values, " + errors + " errors: the fuzzer missed a side");
        FdCount.settled();
        Set<String> stillOpen = FdCount.targets();
        stillOpen.retainAll(pipeSockets);
        assertEquals(Set.of(), stillOpen, "the pipes' sockets left open");
        Map<String, Integer> after = FdCount.kindsApartFromSpares();
        after.replaceAll((kind, count) -> count - before.getOrDefault(kind, 0));
        after.values().removeIf(grown -> grown <= 0);
        assertEquals(Map.of(), after, "more fds of these kinds than before");
    }

    private static byte[] randomStream(Random random) {
        int length = random.nextInt(300);
        ByteBuffer stream = ByteBuffer.allocate(length + 64);
        while (stream.position() < length) {
            switch (random.nextInt(6)) {
                case 0: // a well-formed frame with a random payload (often a plausible tag)
                    int size = random.nextInt(24);
                    stream.putInt(size);
                    byte[] payload = new byte[size];
                    random.nextBytes(payload);
                    if (size > 0 && random.nextBoolean()) {
                        payload[0] = (byte) "NTFbhcilfdsuBILDS".charAt(random.nextInt(17));
                    }
                    stream.put(payload);
                    break;
                case 1: // a header that lies about the length
                    stream.putInt(random.nextInt());
                    break;
                case 2: // CPython's long header with a random length
                    stream.putInt(-1).putLong(random.nextLong());
                    break;
                case 3: // our fd header without fds
                    stream.putInt(-2).putInt(random.nextInt(300) - 10).putLong(random.nextInt(100));
                    break;
                default: // noise
                    byte[] noise = new byte[random.nextInt(16)];
                    random.nextBytes(noise);
                    stream.put(noise);
            }
        }
        byte[] bytes = new byte[stream.position()];
        stream.flip().get(bytes);
        return bytes;
    }

    @Test
    void garbageOnOneConnectionLeavesOthersAlone() throws Exception {
        try (Pipe bad = Pipe.open(); Pipe good = Pipe.open()) {
            good.first().send("before");
            writeRawAndClose(bad, frame(-7));
            assertThrows(StreamCorruptedException.class, bad.second()::recv);
            good.first().send("after");
            assertEquals("before", good.second().recv());
            assertEquals("after", good.second().recv());
            assertFalse(good.second().isClosed());
        }
    }

    /** Counts this process's open fds. */
    static final class FdCount {
        static int open() {
            String[] entries = new java.io.File("/proc/self/fd").list();
            return entries == null ? -1 : entries.length - 1; // minus the directory fd list() opened
        }

        /** What {@code fd} is ("socket:[1234]", a path), or "" if it is closed. */
        static String target(int fd) {
            try {
                return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
            } catch (IOException e) {
                return "";
            }
        }

        /** How many open fds are one of {@code targets}. */
        static int openOf(Set<String> targets) {
            int open = 0;
            String[] entries = new java.io.File("/proc/self/fd").list();
            for (String entry : entries == null ? new String[0] : entries) {
                open += targets.contains(target(Integer.parseInt(entry))) ? 1 : 0;
            }
            return open;
        }

        /** What every open fd is. */
        static Set<String> targets() {
            Set<String> targets = new HashSet<>();
            String[] entries = new java.io.File("/proc/self/fd").list();
            for (String entry : entries == null ? new String[0] : entries) {
                targets.add(target(Integer.parseInt(entry)));
            }
            return targets;
        }

        /**
         * How many open fds of each kind there are ("pipe:[]", "anon_inode:[eventpoll]", a path),
         * leaving out sockets and pidfds: a warm spare replaced in the background closes and opens those.
         */
        static Map<String, Integer> kindsApartFromSpares() {
            Map<String, Integer> kinds = new java.util.TreeMap<>();
            String[] entries = new java.io.File("/proc/self/fd").list();
            for (String entry : entries == null ? new String[0] : entries) {
                String kind = target(Integer.parseInt(entry)).replaceAll("\\[\\d+\\]", "[]");
                if (!kind.isEmpty() && !kind.equals("socket:[]") && !kind.equals("anon_inode:[pidfd]")) {
                    kinds.merge(kind, 1, Integer::sum);
                }
            }
            return kinds;
        }

        /**
         * The count once it has stayed the same for 300 ms (at most 5 s): what earlier tests in this
         * JVM left may still close fds in the background (a child reaped, an idle spare retired, a
         * handle dropped unclosed, which the Cleaner closes after a GC: one is asked for first, so
         * that the fuzzing's own garbage does not set it off midway).
         */
        static int settled() throws InterruptedException {
            System.gc();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            int count = open();
            long steadySince = System.nanoTime();
            while (System.nanoTime() - steadySince < java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
                int now = open();
                if (now != count) {
                    count = now;
                    steadySince = System.nanoTime();
                }
            }
            return count;
        }
    }
}
