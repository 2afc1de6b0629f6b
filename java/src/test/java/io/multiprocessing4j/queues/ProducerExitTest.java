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
 * A producer whose target returns right after its last put: everything it put is in the queue when
 * each put returns (the tiny ring grows in shared memory), so its process exits at once, with no
 * reader, and nothing is lost, whether or not it called {@code cancelJoinThread()}. (A queue used
 * to keep most of these messages in the producer's heap and make its exit wait for a reader.)
 */
@ProcessSemantics
class ProducerExitTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);
    private static final int COUNT = 30_000;

    @Test
    void aProducerThatReturnsRightAfterItsPutsExitsAtOnceAndEverythingArrives() throws Exception {
        producerExitsAndEverythingArrives(false);
    }

    @Test
    void cancelJoinThreadChangesNothing() throws Exception {
        producerExitsAndEverythingArrives(true);
    }

    private static void producerExitsAndEverythingArrives(boolean cancelJoin) throws Exception {
        try (Queue<Integer> queue = new Queue<>(0, 4096); Event returning = new Event();
                Children children = new Children()) {
            ChildProcess producer = children.start(() -> putAllThenReturn(queue, returning, cancelJoin));
            assertTrue(returning.await(CHILD_TIMEOUT));
            assertEquals(COUNT, queue.qsize(), "every message is in the queue when the target returns");
            Children.assertExitsCleanly(producer, CHILD_TIMEOUT); // nobody has read anything yet
            for (int i = 0; i < COUNT; i++) {
                assertEquals(i, queue.get(Duration.ofSeconds(30)));
            }
            assertThrows(Empty.class, queue::getNowait);
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
