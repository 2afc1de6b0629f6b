package io.multiprocessing4j.internal.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The manager's message encoding: direct and serialized values together, and malformed bytes refused. */
@Timeout(30)
class ManagerWireTest {
    @Test
    void requestsAndResponsesTravelWholeWithDirectAndSerializedValues() throws Exception {
        Pipe pipe = Pipe.open();
        try (Connection a = pipe.first(); Connection b = pipe.second()) {
            Object[] args = {7, "text", null, List.of(1, 2), new long[] {3}, 2.5, List.of("x")};
            ManagerWire.send(a, new Request(5, "op", args, new long[] {1, 2}, null, 9));
            Request got = (Request) ManagerWire.recv(b);
            assertEquals(5, got.objectId());
            assertEquals(9, got.thread());
            assertEquals("op", got.operation());
            assertArrayEquals(new long[] {1, 2}, got.acquires());
            assertNull(got.releases());
            assertEquals(7, got.args()[0]);
            assertEquals("text", got.args()[1]);
            assertNull(got.args()[2]);
            assertEquals(List.of(1, 2), got.args()[3]);
            assertArrayEquals(new long[] {3}, (long[]) got.args()[4]);
            assertEquals(List.of("x"), got.args()[6]);

            ManagerWire.send(b, Response.failed(new IllegalStateException("no")));
            Response failed = (Response) ManagerWire.recv(a);
            assertEquals("no", failed.failure().getMessage());
            ManagerWire.send(b, Response.of(Pending.NOT_YET));
            assertEquals(Pending.NOT_YET, ((Response) ManagerWire.recv(a)).result());

            assertThrows(NotSerializableException.class,
                    () -> ManagerWire.send(a, new Request(1, "op", new Object[] {new Object()}, null, null, 0)));
            ManagerWire.send(a, Response.of("still in step"));
            assertEquals("still in step", ((Response) ManagerWire.recv(b)).result());
        }
    }

    @Test
    void malformedMessagesAreRefusedAndTheConnectionGoesOn() throws Exception {
        Pipe pipe = Pipe.open();
        Random random = new Random(16);
        try (Connection a = pipe.first(); Connection b = pipe.second()) {
            for (int i = 0; i < 500; i++) {
                byte[] junk = new byte[random.nextInt(64)];
                random.nextBytes(junk);
                if (junk.length > 0 && i % 2 == 0) {
                    junk[0] = 'Q'; // a request's tag, then garbage
                }
                a.sendBytes(junk);
                try {
                    Object decoded = ManagerWire.recv(b);
                    assertTrue(decoded instanceof Request || decoded instanceof Response, String.valueOf(decoded));
                } catch (ObjectStreamException refused) {
                    // expected for nearly all of them
                }
            }
            ManagerWire.send(a, Response.of(1));
            assertEquals(1, ((Response) ManagerWire.recv(b)).result());
        }
    }
}
