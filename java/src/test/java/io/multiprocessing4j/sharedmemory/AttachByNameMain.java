package io.multiprocessing4j.sharedmemory;

import io.multiprocessing4j.support.SeparateJvm;
import java.nio.ByteBuffer;

/**
 * A JVM unrelated to the test's (not one of its children) that attaches to a block by name, checks
 * what the test wrote and answers in it.
 */
public final class AttachByNameMain {
    private AttachByNameMain() {
    }

    public static void main(String[] args) throws Exception {
        try (SharedMemory block = SharedMemory.attach(args[0])) {
            ByteBuffer buf = block.buf();
            SeparateJvm.report("SIZE", block.size());
            SeparateJvm.report("FIRST", buf.getLong(0));
            buf.putLong(8, buf.getLong(0) * 2);
        }
        try (ShareableList list = ShareableList.attach(args[1])) {
            SeparateJvm.report("ITEMS", list.size() + " " + list.get(0) + " " + list.get(1));
            list.set(1, "changed by " + ProcessHandle.current().pid());
        }
        SeparateJvm.ready();
    }
}
