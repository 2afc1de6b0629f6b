package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.support.Children;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connections handed to a child at start, and sent through other connections (SCM_RIGHTS). */
class PassingConnectionsTest {
    private static final int FD_CLOEXEC = 1;

    /** The child: receives a connection through {@code control}, and talks on it. */
    static void receiveConnectionAndUseIt(Connection control) throws Exception {
        @SuppressWarnings("unchecked")
        List<Object> envelope = (List<Object>) control.recv();
        Connection received = (Connection) envelope.get(1);
        received.send("hello through " + envelope.get(0) + " from pid " + ProcessHandle.current().pid());
        received.send(received.recv()); // and it works both ways
        received.close();
        control.send("done");
    }

    @Test
    void connectionSentThroughAConnectionWorksInTheRunningChild() throws Exception {
        try (Children children = new Children(); Pipe control = Pipe.open(); Pipe passed = Pipe.open()) {
            Connection childControl = control.second();
            ChildProcess process = children.start(() -> receiveConnectionAndUseIt(childControl));
            childControl.close();
            control.first().send(List.of("the passed pipe", passed.second()));
            passed.second().close(); // the child holds its own fd for it now
            String greeting = (String) passed.first().recv();
            assertTrue(greeting.startsWith("hello through the passed pipe from pid "), greeting);
            assertNotEquals(String.valueOf(ProcessHandle.current().pid()), greeting.substring(greeting.lastIndexOf(' ') + 1));
            passed.first().send(12345L);
            assertEquals(12345L, passed.first().recv());
            assertEquals("done", control.first().recv());
            assertEquals(0, Children.join(process, Duration.ofSeconds(60)));
            assertThrows(java.io.EOFException.class, passed.first()::recv, "the child closed the last other copy");
        }
    }

    static void answerOnCaptured(Connection captured) throws Exception {
        captured.send("captured " + captured.recv());
        captured.close();
    }

    @Test
    void connectionCapturedByTheTargetIsMappedIntoTheChild() throws Exception {
        try (Children children = new Children(); Pipe pipe = Pipe.open(false); Pipe back = Pipe.open(false)) {
            Connection reader = pipe.first();
            Connection writer = back.second();
            ChildProcess process = children.start(() -> {
                String got = (String) reader.recv();
                writer.send("captured " + got);
            });
            reader.close();
            writer.close();
            pipe.second().send("value");
            assertEquals("captured value", back.first().recv());
            assertEquals(0, Children.join(process, Duration.ofSeconds(60)));
        }
    }

    @Test
    void receivedConnectionIsCloseOnExecAndIndependentOfTheSentOne() throws Exception {
        try (Pipe carrier = Pipe.open(); Pipe passed = Pipe.open()) {
            carrier.first().send(passed.second());
            Connection received = (Connection) carrier.second().recv();
            try {
                assertNotEquals(passed.second().fileno(), received.fileno());
                assertEquals(FD_CLOEXEC, FileDescriptors.flags(received.fileno()) & FD_CLOEXEC);
                passed.second().close();
                received.send("still open");
                assertEquals("still open", passed.first().recv());
            } finally {
                received.close();
            }
        }
    }

    @Test
    void oneWayPipeCannotCarryAConnectionAndSendsNothing() throws Exception {
        try (Pipe oneWay = Pipe.open(false); Pipe passed = Pipe.open()) {
            NotSerializableException refused = assertThrows(NotSerializableException.class,
                    () -> oneWay.second().send(List.of(passed.first())));
            assertTrue(refused.getMessage().contains("pipe"), refused.getMessage());
            assertFalse(oneWay.first().poll());
            oneWay.second().send("next");
            assertEquals("next", oneWay.first().recv());
            passed.first().send("the refused connection is unharmed");
            assertEquals("the refused connection is unharmed", passed.second().recv());
        }
    }

    @Test
    void connectionWithReadAheadInputRefusesToTravel() throws Exception {
        try (Pipe carrier = Pipe.open(); Pipe passed = Pipe.open()) {
            passed.first().send("one");
            passed.first().send("two");
            assertEquals("one", passed.second().recv()); // "two" was read ahead with it
            NotSerializableException refused = assertThrows(NotSerializableException.class,
                    () -> carrier.first().send(passed.second()));
            assertTrue(refused.getMessage().contains("read ahead"), refused.getMessage());
            assertFalse(carrier.second().poll());
            assertEquals("two", passed.second().recv());
            carrier.first().send(passed.second()); // now it may go
            ((Connection) carrier.second().recv()).close();
        }
    }

    @Test
    void closedConnectionCannotBeSent() throws Exception {
        try (Pipe carrier = Pipe.open(); Pipe passed = Pipe.open()) {
            passed.first().close();
            assertThrows(NotSerializableException.class, () -> carrier.first().send(passed.first()));
            assertFalse(carrier.second().poll());
        }
    }

    @Test
    void connectionOutsideAMessageOrTargetIsNotSerializable() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(new java.io.ByteArrayOutputStream());
            assertThrows(NotSerializableException.class, () -> out.writeObject(pipe.first()));
        }
    }
}
