package io.multiprocessing4j.managers;

import io.multiprocessing4j.support.SeparateJvm;
import java.util.List;

/** The owner of a manager that {@link ManagerLeakTest} kills with SIGKILL: reports its server's pid, then waits. */
public final class ManagerOwnerMain {
    private ManagerOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        Manager manager = Manager.start();
        List<Integer> list = manager.list();
        list.add(1);
        SeparateJvm.report("SERVER", manager.pid().getAsLong());
        SeparateJvm.ready();
        Thread.sleep(Long.MAX_VALUE);
    }
}
