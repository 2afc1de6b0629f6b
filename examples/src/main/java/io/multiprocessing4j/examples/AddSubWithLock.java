package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.sharedctypes.SharedInt;
import io.multiprocessing4j.synchronize.Lock;

/**
 * The walkthrough's lock section, third program: the racing add and sub again, each step now taken
 * under a {@link Lock} shared by both processes, so no update is lost: 1000, every time.
 */
public final class AddSubWithLock {
    private AddSubWithLock() {
    }

    static int add(SharedInt x, Lock lock) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            lock.acquire();
            int value = x.get();
            Thread.sleep(10); // the pause where AddSubRace has it: harmless under the lock
            x.set(value + 10);
            lock.release();
        }
        return x.get();
    }

    static int sub(SharedInt x, Lock lock) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            lock.acquire();
            int value = x.get();
            Thread.sleep(10);
            x.set(value - 10);
            lock.release();
        }
        return x.get();
    }

    public static void main(String[] args) throws Exception {
        SharedInt x = SharedInt.create(1000);
        Lock lock = new Lock();
        ChildProcess addP = new ChildProcess(() -> add(x, lock));
        ChildProcess subP = new ChildProcess(() -> sub(x, lock));

        addP.start();
        subP.start();

        addP.join();
        subP.join();
        System.out.println(x.get());
    }
}
