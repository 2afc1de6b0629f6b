package io.multiprocessing4j.function;

import java.io.Serializable;

/**
 * What a {@link io.multiprocessing4j.ChildProcess} runs: Python's {@code target} with its {@code args} captured.
 *
 * <p>It is serialized in the parent when the process starts and deserialized in the child, so
 * everything it captures must be serializable. Write it as a lambda that captures its arguments:
 * <pre>{@code
 * int value = 3;
 * new ChildProcess(() -> cube(value)).start();
 * }</pre>
 * A lambda written inside an instance method captures {@code this} only if it uses it; prefer
 * static helpers so that the enclosing object does not have to travel too.
 */
@FunctionalInterface
public interface ProcessTarget extends Serializable {
    /** Runs in the child. An exception escaping it ends the child with exit code 1. */
    void run() throws Exception;
}
