package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The ObjectInputFilter hook, pluggable serializers, and no deserialization before authentication. */
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
}
