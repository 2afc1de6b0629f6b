package io.multiprocessing4j.synchronize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.Children;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EventTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void setWakesEveryWaitingProcess() throws Exception {
        Event event = new Event();
        Semaphore waiting = new Semaphore(0);
        Semaphore woke = new Semaphore(0);
        try (Children children = new Children()) {
            for (int i = 0; i < 3; i++) {
                children.start(() -> waitForEvent(event, waiting, woke));
            }
            for (int i = 0; i < 3; i++) {
                assertTrue(waiting.acquire(CHILD_TIMEOUT));
            }
            assertFalse(woke.acquire(Duration.ofMillis(300)), "nobody may wake before set()");
            event.set();
            assertTrue(event.isSet());
            for (int i = 0; i < 3; i++) {
                assertTrue(woke.acquire(Duration.ofSeconds(10)), "waiter " + i + " woke");
            }
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
    }

    static void waitForEvent(Event event, Semaphore waiting, Semaphore woke) throws InterruptedException {
        waiting.release();
        assertTrue(event.await(Duration.ofSeconds(30)));
        woke.release();
    }

    @Test
    void waitTimesOutAfterAboutTheTimeoutWhileUnset() throws Exception {
        Event event = new Event();
        assertFalse(event.isSet());
        long began = System.nanoTime();
        assertFalse(event.await(Duration.ofMillis(250)));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(waited >= 245 && waited < 1_750, "waited " + waited + " ms for 250 ms");
        assertFalse(event.await(Duration.ZERO));
        event.set();
        event.set();
        assertTrue(event.await(Duration.ZERO));
        assertTrue(event.await());
        event.clear();
        assertFalse(event.isSet());
        assertFalse(event.await(Duration.ofMillis(10)));
    }

    @Test
    void aSetFollowedByAClearStillWakesWhoWasWaiting() throws Exception {
        Event event = new Event();
        AtomicBoolean result = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                result.set(event.await(Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        Thread.sleep(200);
        event.set();
        event.clear();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertTrue(result.get());
    }

    @Test
    void childSetsWhatTheParentWaitsFor() throws Exception {
        Event event = new Event();
        try (Children children = new Children()) {
            children.start(event::set);
            assertTrue(event.await(CHILD_TIMEOUT));
            children.assertAllExitCleanly(CHILD_TIMEOUT);
        }
        assertEquals(true, event.isSet());
    }

    @Test
    void badInputAndUseAfterClose() {
        Event event = new Event();
        event.close();
        assertThrows(IllegalStateException.class, event::set);
        assertThrows(IllegalStateException.class, event::isSet);
    }
}
