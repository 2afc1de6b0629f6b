package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import java.util.ArrayList;
import java.util.List;

/**
 * The walkthrough's first program: one process per value, each printing its pid, its name and
 * the cube of its value. Like the Python original, it does not join: the children finish on
 * their own (and this JVM waits for them at exit, as Python does for non-daemon children).
 */
public final class CubeProcesses {
    private CubeProcesses() {
    }

    static void cube(int x) {
        int value = x * x * x;
        long processId = ProcessHandle.current().pid();
        String processName = Multiprocessing.currentProcess().name();
        System.out.println("Process ID: " + processId + " Process Name: " + processName + " x: " + x
                + " value: " + value);
    }

    public static void main(String[] args) throws Exception {
        List<ChildProcess> processList = new ArrayList<>();
        int[] valueList = {1, 2, 3, 4, 5};
        for (int value : valueList) {
            ChildProcess process = new ChildProcess(() -> cube(value));
            processList.add(process);
            process.start();
        }
        // Not in the Python program, whose interpreter joins at exit: here the next example
        // follows in the same JVM, so wait for these first to keep the outputs apart.
        for (ChildProcess process : processList) {
            process.join();
        }
    }
}
