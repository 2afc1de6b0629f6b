package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.support.Children;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Multiprocessing.wait over connections, process sentinels and listeners; Connections.wait without processes. */
class WaitTest {
    static void exitWhenTold(Connection orders) throws Exception {
        orders.recv();
    }

    static void sendThenStay(Connection connection) throws Exception {
        connection.send("from the child");
        Thread.sleep(100_000); // stays alive: only the connection must be ready
    }

    @Test
    void waitReturnsTheReadyConnectionsThenTheEndedProcess() throws Exception {
        try (Children children = new Children(); Pipe a = Pipe.open(); Pipe b = Pipe.open();
             Pipe orders = Pipe.open()) {
            Connection bChild = b.second();
            Connection ordersChild = orders.second();
            ChildProcess talker = children.start(() -> sendThenStay(bChild));
            ChildProcess sleeper = children.start(() -> exitWhenTold(ordersChild));
            List<Object> watched = List.of(a.first(), b.first(), sleeper);

            List<Object> ready = Multiprocessing.wait(watched, Duration.ofSeconds(30));
            assertEquals(List.of(b.first()), ready, "only the child's message is ready first");
            assertEquals("from the child", b.first().recv());

            orders.first().send("exit");
            ready = Multiprocessing.wait(watched, Duration.ofSeconds(30));
            assertEquals(List.of(sleeper), ready, "then the sleeper's end");
            assertEquals(0, Children.join(sleeper, Duration.ofSeconds(30)));

            a.second().send(1);
            ready = Multiprocessing.wait(List.of(a.first(), b.first(), sleeper.sentinel()), Duration.ofSeconds(30));
            assertEquals(List.of(a.first(), sleeper.sentinel()), ready, "raw sentinels work as well");
            talker.kill();
        }
    }

    @Test
    void connectionsWaitTakesConnectionsListenersAndFdsAlone() throws Exception {
        try (Pipe a = Pipe.open(); Pipe b = Pipe.open()) {
            b.second().send("ready");
            assertEquals(List.of(b.first()), Connections.wait(List.of(a.first(), b.first()), Duration.ofSeconds(30)));
            assertEquals(List.of(), Connections.wait(List.of(a.first()), Duration.ZERO));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Connections.wait(List.of(a.first(), "not waitable"), Duration.ZERO));
            assertTrue(e.getMessage().contains("expected a Connection, Listener or Integer"), e.getMessage());
        }
    }

    @Test
    void waitTimesOutWithAnEmptyListAfterAboutTheTimeout() throws Exception {
        try (Pipe a = Pipe.open(); Pipe b = Pipe.open()) {
            long began = System.nanoTime();
            List<Connection> ready = Multiprocessing.wait(List.of(a.first(), b.first()), Duration.ofMillis(250));
            long waitedMillis = (System.nanoTime() - began) / 1_000_000;
            assertTrue(ready.isEmpty());
            assertTrue(waitedMillis >= 245 && waitedMillis < 5_000, "waited " + waitedMillis + " ms");
            assertTrue(Multiprocessing.wait(List.of(a.first()), Duration.ZERO).isEmpty());
        }
    }

    @Test
    void messageAlreadyReadAheadMakesAConnectionReady() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.first().send("one");
            pipe.first().send("two");
            assertEquals("one", pipe.second().recv()); // "two" now sits in this process's buffer
            List<Connection> ready = Multiprocessing.wait(List.of(pipe.second()), Duration.ofSeconds(5));
            assertEquals(List.of(pipe.second()), ready);
            assertEquals("two", pipe.second().recv());
            assertTrue(Multiprocessing.wait(List.of(pipe.second()), Duration.ZERO).isEmpty());
        }
    }

    @Test
    void closedPeerMakesAConnectionReady() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.first().close();
            assertEquals(List.of(pipe.second()), Multiprocessing.wait(List.of(pipe.second()), Duration.ofSeconds(5)));
        }
    }

    @Test
    void closingAConnectionWakesAWait() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<List<Connection>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return Multiprocessing.wait(List.of(pipe.second()));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            assertTrue(!waiting.isDone());
            pipe.second().close();
            assertEquals(List.of(pipe.second()), waiting.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void listenerIsReadyWhenAClientWaits() throws Exception {
        try (Listener listener = new Listener()) {
            assertTrue(Multiprocessing.wait(List.of(listener), Duration.ZERO).isEmpty());
            try (Connection client = Client.connect(listener.address())) {
                assertEquals(List.of(listener), Multiprocessing.wait(List.of(listener), Duration.ofSeconds(5)));
                listener.accept().close();
            }
        }
    }

    @Test
    void badArgumentsAreRefusedClearly() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertThrows(IllegalArgumentException.class, () -> Multiprocessing.wait(List.of("not waitable"), Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> Multiprocessing.wait(List.of()));
            assertThrows(IllegalArgumentException.class, () -> Multiprocessing.wait(List.of(-3), Duration.ZERO));
            List<Object> many = new ArrayList<>();
            for (int i = 0; i < 1025; i++) {
                many.add(pipe.first());
            }
            assertThrows(IllegalArgumentException.class, () -> Multiprocessing.wait(many, Duration.ZERO));
            pipe.first().close();
            assertThrows(IllegalStateException.class, () -> Multiprocessing.wait(List.of(pipe.first()), Duration.ZERO));
        }
    }
}
