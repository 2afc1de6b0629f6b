package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;

/**
 * {@code run()} instead of {@code start()}: the target runs in the calling process, so every line
 * shows the same pid and the name {@code MainProcess}.
 */
public final class RunInsteadOfStart {
    private RunInsteadOfStart() {
    }

    public static void main(String[] args) throws Exception {
        for (int value : new int[] {1, 2, 3, 4, 5}) {
            ChildProcess process = new ChildProcess(() -> CubeProcesses.cube(value));
            process.run();
        }
    }
}
