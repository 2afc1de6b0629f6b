package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;

/**
 * What {@code join()} changes: with it, "After join" comes after the child's "After sleep";
 * without it, the parent runs on and prints first.
 */
public final class JoinOrder {
    private JoinOrder() {
    }

    static void sleeping() throws InterruptedException {
        System.out.println("Before sleep");
        Thread.sleep(2000);
        System.out.println("After sleep");
    }

    public static void main(String[] args) throws Exception {
        System.out.println("-- with join");
        ChildProcess p = new ChildProcess(JoinOrder::sleeping);
        System.out.println("Before start");
        p.start();
        System.out.println("After start");
        p.join();
        System.out.println("After join");

        System.out.println("-- without join");
        ChildProcess q = new ChildProcess(JoinOrder::sleeping);
        System.out.println("Before start");
        q.start();
        System.out.println("After start");
        // q.join();
        System.out.println("After join");
        q.join(); // only so that the next example's output does not mix with this child's
    }
}
