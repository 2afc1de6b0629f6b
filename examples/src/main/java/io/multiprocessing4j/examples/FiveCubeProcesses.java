package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Five processes each cubing 0..9 slowly: started together and joined afterwards, their lines
 * interleave; joined one by one right after each start, they run one after another.
 */
public final class FiveCubeProcesses {
    private FiveCubeProcesses() {
    }

    static void cube(int[] numbers) throws InterruptedException {
        for (int number : numbers) {
            Thread.sleep(500);
            int value = number * number * number;
            System.out.println(value + " for " + number);
        }
    }

    public static void main(String[] args) throws Exception {
        int[] numbers = IntStream.range(0, 10).toArray();

        System.out.println("-- start all, then join all");
        List<ChildProcess> processList = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ChildProcess p = new ChildProcess(() -> cube(numbers));
            processList.add(p);
            p.start();
        }
        for (ChildProcess process : processList) {
            process.join();
        }
        System.out.println("completed");

        System.out.println("-- join each right after its start");
        for (int i = 0; i < 5; i++) {
            ChildProcess p = new ChildProcess(() -> cube(numbers));
            p.start();
            p.join();
        }
    }
}
