package io.multiprocessing4j.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.SharedIntArray;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four producer processes and four consumer processes share one queue: every message arrives
 * exactly once (40,000 messages; 1,000,000 in the long variant). Each consumer marks what it took
 * in a shared array with an atomic increment, so a loss shows as a 0 and a duplicate as a 2.
 */
@InFaultSuite
@ProcessSemantics
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ExactlyOnceFaultTest {
    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 4;
    private static final int DONE = -1;

    static void produce(Queue<Integer> queue, int from, int to) throws InterruptedException {
        for (int message = from; message < to; message++) {
            queue.put(message);
        }
    }

    static void consume(Queue<Integer> queue, SharedIntArray seen) throws InterruptedException {
        for (int message = queue.get(); message != DONE; message = queue.get()) {
            seen.incrementAndGet(message);
        }
    }

    @Test
    void everyMessageFromFourProducersReachesFourConsumersExactlyOnce() throws Exception {
        int messages = FaultSuite.scale(40_000, 1_000_000);
        Duration bound = Duration.ofSeconds(FaultSuite.isLong() ? 500 : 100);
        try (Queue<Integer> queue = new Queue<>(10_000);
             SharedIntArray seen = SharedIntArray.createRaw(messages);
             Children children = new Children()) {
            List<ChildProcess> producers = new ArrayList<>();
            int share = messages / PRODUCERS;
            for (int p = 0; p < PRODUCERS; p++) {
                int from = p * share;
                int to = p == PRODUCERS - 1 ? messages : from + share;
                producers.add(children.start(() -> produce(queue, from, to)));
            }
            List<ChildProcess> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(children.start(() -> consume(queue, seen)));
            }
            for (ChildProcess producer : producers) {
                Children.assertExitsCleanly(producer, bound);
            }
            for (int c = 0; c < CONSUMERS; c++) {
                queue.put(DONE);
            }
            for (ChildProcess consumer : consumers) {
                Children.assertExitsCleanly(consumer, bound);
            }
            int lost = 0;
            int duplicated = 0;
            int firstWrong = -1;
            int[] marks = seen.toArray();
            for (int message = 0; message < messages; message++) {
                if (marks[message] != 1) {
                    lost += marks[message] == 0 ? 1 : 0;
                    duplicated += marks[message] > 1 ? 1 : 0;
                    firstWrong = firstWrong < 0 ? message : firstWrong;
                }
            }
            assertEquals(0, lost + duplicated, lost + " lost and " + duplicated + " duplicated of " + messages
                    + " messages; first at " + firstWrong);
        }
    }
}
