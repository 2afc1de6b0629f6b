package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.sharedctypes.SharedInt;

/**
 * The walkthrough's lock section, second program: the same add and sub, now in two processes on one
 * shared int ({@code Value('i', 1000)}), without a lock. Each step reads the value and writes it back
 * as a separate access, so the processes overwrite each other's updates and the result is usually
 * not 1000 (the walkthrough got 840).
 *
 * <p>One change: the walkthrough pauses 10 ms before each {@code x.value += 10}; here the pause sits
 * between the read and the write. Java reads and writes within nanoseconds (Python's
 * {@code x.value += 10} takes microseconds), and two processes pausing for the same time keep the
 * same phase, so with the pause outside they would almost never collide and the race would stay
 * invisible. Inside, every step is exposed to the other process.
 */
public final class AddSubRace {
    private AddSubRace() {
    }

    static int add(SharedInt x) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            int value = x.get(); // Python's x.value += 10 reads the value,
            Thread.sleep(10);    // (the walkthrough's pause, moved here: see the class comment)
            x.set(value + 10);   // and writes it back, perhaps over the other process's update
        }
        return x.get();
    }

    static int sub(SharedInt x) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            int value = x.get();
            Thread.sleep(10);
            x.set(value - 10);
        }
        return x.get();
    }

    public static void main(String[] args) throws Exception {
        SharedInt x = SharedInt.create(1000);
        ChildProcess addP = new ChildProcess(() -> add(x));
        ChildProcess subP = new ChildProcess(() -> sub(x));

        addP.start();
        subP.start();

        addP.join();
        subP.join();
        System.out.println(x.get());
    }
}
