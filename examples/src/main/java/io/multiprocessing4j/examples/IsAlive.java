package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;
import java.time.Duration;

/** {@code isAlive()} while the child sleeps, and after {@code join(timeout)} has seen it end. */
public final class IsAlive {
    private IsAlive() {
    }

    public static void main(String[] args) throws Exception {
        ChildProcess p = new ChildProcess(JoinOrder::sleeping, null, false);
        System.out.println("Before start");
        p.start();
        System.out.println(p.isAlive());
        System.out.println("After start");
        p.join(Duration.ofSeconds(3));
        System.out.println("After join");
        System.out.println(p.isAlive());
    }
}
