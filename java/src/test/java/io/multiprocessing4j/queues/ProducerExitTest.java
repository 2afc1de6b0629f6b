package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.synchronize.Event;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A producer whose target returns right after its last put: as in Python, its process waits at exit
 * until every message it put is in the queue, unless it called {@code cancelJoinThread()}. The
 * buffer is tiny, so most of the messages are still in the producer's heap when its target returns.
 */
@ProcessSemantics
class ProducerExitTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);
    private static final int COUNT = 30_000;

    @Test
    void aProducerThatReturnsRightAfterItsPutsHasThemAllDelivered() throws Exception {
        try (Queue<Integer> queue = new Queue<>(0, 4096); Event returning = new Event();
                Children children = new Children()) {
            ChildProcess producer = children.start(() -> putAllThenReturn(queue, returning, false));
            assertTrue(returning.await(CHILD_TIMEOUT));
            assertTrue(queue.qsize() < COUNT / 10, "most messages are not in the queue yet: " + queue.qsize());
            Thread.sleep(300);
            assertTrue(producer.isAlive(), "the producer's exit waits for its messages to enter the queue");
            for (int i = 0; i < COUNT; i++) {
                assertEquals(i, queue.get(Duration.ofSeconds(30)));
            }
            Children.assertExitsCleanly(producer, CHILD_TIMEOUT);
            assertThrows(Empty.class, queue::getNowait);
        }
    }

    @Test
    void afterCancelJoinThreadAProducerExitsWithoutWaitingAndOnlyWhatWasInTheQueueArrives() throws Exception {
        try (Queue<Integer> queue = new Queue<>(0, 4096); Event returning = new Event();
                Children children = new Children()) {
            ChildProcess producer = children.start(() -> putAllThenReturn(queue, returning, true));
            Children.assertExitsCleanly(producer, CHILD_TIMEOUT);
            int received = 0;
            while (true) {
                Integer got = queue.poll();
                if (got == null) {
                    break;
                }
                assertEquals(received, got, "what arrived is the beginning, in order");
                received++;
            }
            assertTrue(received > 0 && received < COUNT, "received " + received);
        }
    }

    static void putAllThenReturn(Queue<Integer> queue, Event returning, boolean cancelJoin) throws InterruptedException {
        for (int i = 0; i < COUNT; i++) {
            queue.put(i);
        }
        if (cancelJoin) {
            queue.cancelJoinThread();
        }
        returning.set();
    }
}
