package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.internal.transfer.DirectValues;
import io.multiprocessing4j.serialization.MessageSerializer;
import io.multiprocessing4j.support.InFaultSuite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ObjectInputFilter hook, pluggable serializers, no deserialization before authentication, the
 * resource limits of every connection and the class allow-list of connections strangers can reach.
 */
@InFaultSuite
class DeserializationSafetyTest {
    /** Counts its own deserializations, so a test can tell whether one happened. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READS = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READS.incrementAndGet();
        }
    }

    private static final ObjectInputFilter NO_TRIPWIRES = info ->
            info.serialClass() == Tripwire.class ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;

    @Test
    void perConnectionFilterRejectsAndTheConnectionGoesOn() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.second().setObjectInputFilter(NO_TRIPWIRES);
            int before = Tripwire.READS.get();
            pipe.first().send(new Tripwire());
            pipe.first().send(new ArrayList<>(List.of("allowed")));
            InvalidClassException rejected = assertThrows(InvalidClassException.class, pipe.second()::recv);
            assertTrue(rejected.getMessage().contains("REJECTED"), rejected.getMessage());
            assertEquals(before, Tripwire.READS.get(), "the rejected object was never read");
            assertEquals(List.of("allowed"), pipe.second().recv());
        }
    }

    @Test
    void defaultFilterAppliesToConnectionsWithoutTheirOwn() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection.setDefaultObjectInputFilter(ObjectInputFilter.Config.createFilter("!*"));
            try {
                pipe.first().send(new ArrayList<>());
                pipe.first().send("strings need no serializer, so no filter");
                pipe.first().send(new ArrayList<>());
                assertThrows(InvalidClassException.class, pipe.second()::recv);
                assertEquals("strings need no serializer, so no filter", pipe.second().recv());
                pipe.second().setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.util.ArrayList;!*"));
                assertEquals(new ArrayList<>(), pipe.second().recv(), "the connection's own filter wins");
            } finally {
                Connection.setDefaultObjectInputFilter(null);
            }
        }
    }

    /** A toy serializer that sends objects as their toString(). */
    static final class TextSerializer implements MessageSerializer {
        @Override
        public void write(Object value, OutputStream out) throws IOException {
            out.write(("text:" + value).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Object read(InputStream in, ObjectInputFilter filter) throws IOException {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.startsWith("text:")) {
                throw new StreamCorruptedException("not a text message");
            }
            return text.substring(5);
        }
    }

    @Test
    void pluggableSerializerIsUsedForObjectsWithoutADirectEncoding() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.first().setSerializer(new TextSerializer());
            pipe.second().setSerializer(new TextSerializer());
            pipe.first().send(List.of(1, 2));
            pipe.first().send(7);
            assertEquals("[1, 2]", pipe.second().recv());
            assertEquals(7, pipe.second().recv());
            pipe.second().setSerializer(null); // back to Java serialization: a mismatch is a clear error
            pipe.first().send(List.of(3));
            assertThrows(StreamCorruptedException.class, pipe.second()::recv);
            assertEquals(MessageSerializer.javaSerialization(), pipe.second().serializer());
        }
    }

    @Test
    void unauthenticatedClientsObjectsAreNeverDeserialized() throws Exception {
        try (Listener listener = new Listener(AbstractUnixAddress.random(), "key".getBytes())) {
            listener.setAuthenticationTimeout(Duration.ofSeconds(10));
            int before = Tripwire.READS.get();
            try (Connection intruder = Client.connect(listener.address())) {
                intruder.send(new Tripwire());
                assertThrows(AuthenticationException.class, listener::accept);
            }
            assertEquals(before, Tripwire.READS.get());
        }
    }

    @Test
    void classUnknownToTheReceiverIsAClearIoError() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.second().setSerializer(new MessageSerializer() {
                @Override
                public void write(Object value, OutputStream out) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Object read(InputStream in, ObjectInputFilter filter) throws ClassNotFoundException {
                    throw new ClassNotFoundException("com.example.Missing");
                }
            });
            pipe.first().send(new ArrayList<>());
            InvalidClassException missing = assertThrows(InvalidClassException.class, pipe.second()::recv);
            assertTrue(missing.getMessage().contains("com.example.Missing"), missing.getMessage());
            assertFalse(pipe.second().isClosed());
        }
    }

    /**
     * Starts {@code task} on a thread with a stack big enough to serialize what a receiver must
     * refuse; join it with {@link #finish} once the receiver has read.
     */
    private static Thread onABigStack(ThrowingRunnable task, Exception[] failure) {
        Thread thread = new Thread(null, () -> {
            try {
                task.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "big-stack", 1L << 30);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void finish(Thread thread, Exception[] failure) throws Exception {
        thread.join(30_000);
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    @Timeout(60)
    void aMapNestedTenThousandDeepIsRefusedNotAStackOverflow() throws Exception {
        Map<String, Object> deep = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> outer = new HashMap<>();
            outer.put("k", deep);
            deep = outer;
        }
        Map<String, Object> message = deep;
        try (Pipe pipe = Pipe.open()) {
            Exception[] failure = new Exception[1];
            Thread sender = onABigStack(() -> {
                pipe.first().send(message);
                pipe.first().send("after");
            }, failure);
            InvalidClassException refused = assertThrows(InvalidClassException.class, pipe.second()::recv);
            finish(sender, failure);
            assertTrue(refused.getMessage().contains("deeper than the limit of 200"), refused.getMessage());
            assertEquals("after", pipe.second().recv(), "the message was consumed whole: the connection goes on");
        }
    }

    @Test
    @Timeout(60)
    void theDepthLimitCanBeRaisedAndAStackOverflowIsStillReportedNotThrown() throws Exception {
        Map<String, Object> deep = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> outer = new HashMap<>();
            outer.put("k", deep);
            deep = outer;
        }
        Map<String, Object> message = deep;
        try (Pipe pipe = Pipe.open()) {
            pipe.second().setDeserializationPolicy(DeserializationPolicy.trusted().withMaxDepth(1_000_000));
            Exception[] failure = new Exception[1];
            Thread sender = onABigStack(() -> {
                pipe.first().send(message);
                pipe.first().send(List.of(1, 2));
            }, failure);
            Object[] outcome = new Object[1];
            Thread smallStack = new Thread(null, () -> {
                try {
                    outcome[0] = pipe.second().recv();
                } catch (Throwable t) {
                    outcome[0] = t;
                }
            }, "small-stack", 256 << 10);
            smallStack.start();
            smallStack.join(30_000);
            finish(sender, failure);
            assertTrue(outcome[0] instanceof InvalidObjectException, String.valueOf(outcome[0]));
            assertTrue(((Throwable) outcome[0]).getMessage().contains("too deep for this thread's stack"));
            assertEquals(List.of(1, 2), pipe.second().recv());
        }
    }

    /** Sets nested 100 deep, each level holding the two sets of the level below: 2^100 steps to hash. */
    static Set<Object> hashCodeBomb() {
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
        return root;
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void nestedSetsThatShareTheirMembersAreRefusedBeforeHashingRunsAway() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.first().send(hashCodeBomb());
            pipe.first().send("after");
            long start = System.nanoTime();
            InvalidObjectException refused = assertThrows(InvalidObjectException.class, pipe.second()::recv);
            assertTrue(refused.getMessage().contains("hash"), refused.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the refusal took too long");
            assertEquals("after", pipe.second().recv());
        }
    }

    @Test
    void sharedButShallowGraphsStillPass() throws Exception {
        List<Integer> shared = new ArrayList<>(List.of(1, 2, 3));
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            map.put("k" + i, shared);
        }
        Set<Object> sets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            sets.add(List.of(i, shared));
        }
        try (Pipe pipe = Pipe.open()) {
            pipe.first().send(map);
            pipe.first().send(sets);
            assertEquals(map, pipe.second().recv());
            assertEquals(sets, pipe.second().recv());
        }
    }

    @Test
    void aFewBytesCannotClaimAHugeArray() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(stream)) {
            out.writeObject(new long[0]);
        }
        byte[] serialized = stream.toByteArray();
        java.nio.ByteBuffer.wrap(serialized).putInt(serialized.length - 4, 40_000_000); // the array's length
        byte[] payload = new byte[serialized.length + 1];
        payload[0] = DirectValues.SERIALIZED;
        System.arraycopy(serialized, 0, payload, 1, serialized.length);
        assertTrue(payload.length < 64, payload.length + " bytes");
        try (Pipe pipe = Pipe.open()) {
            pipe.first().sendBytes(payload);
            pipe.first().send("after");
            InvalidClassException refused = assertThrows(InvalidClassException.class, pipe.second()::recv);
            assertTrue(refused.getMessage().contains("array of 40000000 long cannot fit"), refused.getMessage());
            assertEquals("after", pipe.second().recv());
        }
    }

    /** A record: admitted by the strangers' allow-list (it deserializes through its constructor). */
    record Point(int x, int y) implements Serializable {
    }

    @Test
    void anUnauthenticatedListenerAdmitsJdkValuesAndRecordsButNotOtherClasses() throws Exception {
        try (Listener listener = new Listener(AbstractUnixAddress.random())) {
            assertTrue(listener.deserializationPolicy().restrictsClasses());
            try (Connection client = Client.connect(listener.address()); Connection served = listener.accept()) {
                assertTrue(client.deserializationPolicy().restrictsClasses(), "a client does not know who listens");
                int before = Tripwire.READS.get();
                client.send(new Tripwire());
                client.send(new ArrayList<>(List.of(new Point(1, 2), java.math.BigInteger.TEN, Map.of("a", 1))));
                InvalidClassException refused = assertThrows(InvalidClassException.class, served::recv);
                assertTrue(refused.getMessage().contains("not on the allow-list") && refused.getMessage().contains("Tripwire"),
                        refused.getMessage());
                assertEquals(before, Tripwire.READS.get(), "the refused class's readObject never ran");
                assertEquals(List.of(new Point(1, 2), java.math.BigInteger.TEN, Map.of("a", 1)), served.recv());
                served.setDeserializationPolicy(DeserializationPolicy.strangers().allowClasses(Tripwire.class));
                client.send(new Tripwire());
                assertTrue(served.recv() instanceof Tripwire);
                served.setDeserializationPolicy(DeserializationPolicy.strangers().allowPackages("io.multiprocessing4j"));
                client.send(new Tripwire());
                assertTrue(served.recv() instanceof Tripwire);
                served.setDeserializationPolicy(DeserializationPolicy.strangers().allowAnyClass());
                client.send(new Tripwire());
                assertTrue(served.recv() instanceof Tripwire);
            }
        }
    }

    @Test
    void authenticatedPeersAndPipesKeepTheirReach() throws Exception {
        byte[] key = "reach".getBytes();
        try (Listener listener = new Listener(AbstractUnixAddress.random(), key)) {
            assertFalse(listener.deserializationPolicy().restrictsClasses());
            java.util.concurrent.CompletableFuture<Connection> served = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection client = Client.connect(listener.address(), key);
                 Connection server = served.get(10, TimeUnit.SECONDS)) {
                client.send(new Tripwire());
                assertTrue(server.recv() instanceof Tripwire);
            }
        }
        try (Pipe pipe = Pipe.open()) {
            pipe.first().send(new Tripwire());
            assertTrue(pipe.second().recv() instanceof Tripwire);
        }
    }

    /** Rejected by the JVM-wide filter this test installs (if no other test installed one first). */
    static final class RejectedJvmWide implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void theJvmWideFilterIsHonouredOnTopOfThePolicy() throws Exception {
        ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
        if (jvmWide == null) {
            try {
                ObjectInputFilter.Config.setSerialFilter(info -> info.serialClass() == RejectedJvmWide.class
                        ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED);
            } catch (IllegalStateException alreadySet) {
                // set meanwhile by someone else
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(
                ObjectInputFilter.Config.getSerialFilter().checkInput(new ObjectInputFilter.FilterInfo() {
                    public Class<?> serialClass() {
                        return RejectedJvmWide.class;
                    }

                    public long arrayLength() {
                        return -1;
                    }

                    public long depth() {
                        return 1;
                    }

                    public long references() {
                        return 1;
                    }

                    public long streamBytes() {
                        return 0;
                    }
                }) == ObjectInputFilter.Status.REJECTED, "another JVM-wide filter is in force");
        try (Pipe pipe = Pipe.open()) {
            pipe.second().setObjectInputFilter(info -> ObjectInputFilter.Status.ALLOWED); // cannot override it
            pipe.first().send(new RejectedJvmWide());
            InvalidClassException refused = assertThrows(InvalidClassException.class, pipe.second()::recv);
            assertTrue(refused.getMessage().contains("jdk.serialFilter"), refused.getMessage());
        }
    }
}
