package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.managers.Manager;
import java.util.List;

/**
 * The walkthrough's Manager program: a list that lives in a manager's server process, appended
 * to by two workers through the proxy each captured. Python prints {@code list by:  worker1 [30]},
 * {@code list by:  worker2 [30, 70]} and {@code final list:  [30, 70]} (the workers may take
 * their turns in the other order, in Python as here).
 */
public final class ManagerList {
    private ManagerList() {
    }

    static void worker(List<Integer> liste, int x) {
        liste.add(x);
        System.out.println("list by:  " + Multiprocessing.currentProcess().name() + " " + liste);
    }

    public static void main(String[] args) throws Exception {
        try (Manager m = Manager.start()) {
            List<Integer> liste = m.list();
            ChildProcess p1 = new ChildProcess(() -> worker(liste, 30), "worker1");
            ChildProcess p2 = new ChildProcess(() -> worker(liste, 70), "worker2");
            p1.start();
            p2.start();
            p1.join();
            p2.join();
            System.out.println("final list:  " + liste);
        }
    }
}
