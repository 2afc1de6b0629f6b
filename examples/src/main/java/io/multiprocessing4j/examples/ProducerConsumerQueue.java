package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.queues.Queue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The walkthrough's queue section: a producer process puts ten random numbers on a {@link Queue},
 * pausing a random fraction of a second before each, then a {@code null} (Python's {@code None})
 * to say it is done; a consumer process takes them until the {@code null}, multiplying each by a
 * random number of its own. Both processes share the queue by capturing it.
 */
public final class ProducerConsumerQueue {
    private ProducerConsumerQueue() {
    }

    static void producer(Queue<Double> queue) throws InterruptedException {
        System.out.println("Producer is running");
        for (int i = 0; i < 10; i++) {
            double value = ThreadLocalRandom.current().nextDouble();
            Thread.sleep((long) (value * 1000));
            // add to the queue
            System.out.println("Producer generated:  " + value);
            queue.put(value);
        }
        // all done
        queue.put(null);
        System.out.println("Producer finished");
    }

    static void consumer(Queue<Double> queue) throws InterruptedException {
        System.out.println("Consumer is running");
        while (true) {
            Double item = queue.get();
            // check for stop
            if (item == null) {
                break;
            }
            double value = ThreadLocalRandom.current().nextDouble();
            double newValue = item * value;
            System.out.println(">from producer: " + item + " and new value: " + newValue);
        }
        System.out.println("Consumer finished");
    }

    public static void main(String[] args) throws Exception {
        Queue<Double> queue = new Queue<>();
        ChildProcess consumerP = new ChildProcess(() -> consumer(queue));
        consumerP.start();
        ChildProcess producerP = new ChildProcess(() -> producer(queue));
        producerP.start();
        // wait for all processes to finish
        producerP.join();
        consumerP.join();
    }
}
