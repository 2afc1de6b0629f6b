package io.multiprocessing4j.examples;

import io.multiprocessing4j.pool.Pool;
import java.util.List;

/**
 * The walkthrough's {@code imap_unordered}, which it describes without a program: each result as
 * soon as it is there. The slow task is handed out first and arrives last.
 */
public final class PoolImapUnordered {
    private PoolImapUnordered() {
    }

    static String napThenCube(int number) throws InterruptedException {
        Thread.sleep(number == 4 ? 300 : 0);
        return number + " -> " + Cubes.cube(number);
    }

    public static void main(String[] args) throws Exception {
        List<Integer> numbers = List.of(4, 0, 1, 2, 3);
        try (Pool p = new Pool(2)) {
            for (String result : p.imapUnordered(PoolImapUnordered::napThenCube, numbers)) {
                System.out.println(result);
            }
        }
    }
}
