package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.InFaultSuite;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An interrupt is for a waiting call, not for the request/answer exchange under every call: a
 * thread interrupted in the middle of plain proxy calls gets each call's own answer (never the
 * previous call's, left on the connection), and keeps its interrupt status.
 */
@InFaultSuite
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagerInterruptTest {

    @Test
    void anInterruptedThreadStillGetsEachCallsOwnAnswer() throws Exception {
        try (Manager manager = Manager.start()) {
            ListProxy<Integer> list = manager.list();
            for (int i = 0; i < 50; i++) {
                list.add(i);
            }
            Thread.currentThread().interrupt();
            try {
                assertEquals(50, list.size());
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
            } finally {
                Thread.interrupted();
            }

            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < 50; i++) {
                            Thread.interrupted();
                            assertEquals(i, list.get(i), "answer to get(" + i + ")");
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    done.set(true);
                }
            });
            caller.start();
            while (!done.get()) {
                caller.interrupt(); // lands anywhere: before a request, between it and its answer
                Thread.onSpinWait();
            }
            caller.join();
            if (failure.get() != null) {
                throw new AssertionError("a call under interrupts failed", failure.get());
            }
            assertEquals(50, list.size(), "the connection is still in step");
        }
    }
}
