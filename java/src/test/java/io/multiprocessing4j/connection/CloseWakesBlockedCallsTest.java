package io.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** close() from another thread ends a recv, send, poll or accept blocked on the same object. */
class CloseWakesBlockedCallsTest {
    private interface Call {
        Object run() throws Exception;
    }

    private static CompletableFuture<Object> inBackground(Call call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static Throwable failureOf(CompletableFuture<Object> future) throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return failed.getCause().getCause();
    }

    @Test
    void closeWakesABlockedRecv() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Object> receiving = inBackground(pipe.first()::recv);
            Thread.sleep(200);
            assertFalse(receiving.isDone());
            pipe.first().close();
            assertInstanceOf(AsynchronousCloseException.class, failureOf(receiving));
        }
    }

    @Test
    void closeWakesASendBlockedOnAFullSocket() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Object> sending = inBackground(() -> {
                pipe.first().sendBytes(new byte[64 << 20]); // far more than the socket buffers hold
                return null;
            });
            Thread.sleep(300);
            assertFalse(sending.isDone());
            pipe.first().close();
            assertInstanceOf(AsynchronousCloseException.class, failureOf(sending));
        }
    }

    @Test
    void closeWakesABlockedPoll() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Object> polling = inBackground(() -> pipe.first().poll(Duration.ofSeconds(60)));
            Thread.sleep(200);
            assertFalse(polling.isDone());
            pipe.first().close();
            assertInstanceOf(AsynchronousCloseException.class, failureOf(polling));
        }
    }

    @Test
    void closeWakesABlockedAccept() throws Exception {
        Listener listener = new Listener();
        CompletableFuture<Object> accepting = inBackground(listener::accept);
        Thread.sleep(200);
        assertFalse(accepting.isDone());
        listener.close();
        assertInstanceOf(AsynchronousCloseException.class, failureOf(accepting));
        assertTrue(listener.isClosed());
    }

    @Test
    void closeWithoutBlockedCallsLeavesOtherCopiesOfTheSocketAlone() throws Exception {
        try (Pipe carrier = Pipe.open(); Pipe pipe = Pipe.open()) {
            carrier.first().send(pipe.second());
            Connection copy = (Connection) carrier.second().recv();
            pipe.second().close(); // nothing blocked on it: a plain close, no shutdown
            copy.send("the copy still works");
            assertEquals("the copy still works", pipe.first().recv());
            copy.close();
        }
    }
}
