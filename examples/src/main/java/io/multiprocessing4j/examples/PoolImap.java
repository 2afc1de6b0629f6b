package io.multiprocessing4j.examples;

import io.multiprocessing4j.pool.IMapIterator;
import io.multiprocessing4j.pool.Pool;
import java.util.List;

/** The walkthrough's {@code imap}: a lazy map, taken with {@code next()} and then in a loop. */
public final class PoolImap {
    private PoolImap() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> numbers = List.of(0, 1, 2, 3, 4);
        Pool p = new Pool();
        IMapIterator<Long> r = p.imap(Cubes::cube, numbers);
        System.out.println(r);
        System.out.println(r.next());
        System.out.println(r.next());
        System.out.println(r.next());
        System.out.println("___");
        for (long result : p.imap(Cubes::cube, numbers)) {
            System.out.println(result);
        }
        p.shutdown();
        p.join();
    }
}
