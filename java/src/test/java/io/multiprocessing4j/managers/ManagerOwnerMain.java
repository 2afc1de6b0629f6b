package io.multiprocessing4j.managers;

import io.multiprocessing4j.support.SeparateJvm;
import java.util.List;

/**
 * The owner of a manager that {@link ManagerLeakTest} kills with SIGKILL: holds a lock and has a
 * thread waiting in a queue's get (so it has a connection per waiting thread), reports its
 * server's pid, then waits.
 */
public final class ManagerOwnerMain {
    private ManagerOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        Manager manager = Manager.start();
        List<Integer> list = manager.list();
        list.add(1);
        LockProxy lock = manager.lock();
        lock.lock();
        QueueProxy<Integer> queue = manager.queue();
        Thread getter = new Thread(() -> {
            try {
                queue.get();
            } catch (InterruptedException | IllegalStateException e) {
                // the test kills us first
            }
        });
        getter.setDaemon(true);
        getter.start();
        while (getter.getState() == Thread.State.NEW || getter.getState() == Thread.State.RUNNABLE
                && java.util.Arrays.stream(getter.getStackTrace()).noneMatch(f -> f.getMethodName().contains("recv"))) {
            Thread.sleep(10);
        }
        SeparateJvm.report("SERVER", manager.pid().getAsLong());
        SeparateJvm.ready();
        Thread.sleep(Long.MAX_VALUE);
    }
}
