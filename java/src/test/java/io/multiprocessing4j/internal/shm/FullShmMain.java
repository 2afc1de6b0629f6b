package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.sharedctypes.SharedIntArray;
import io.multiprocessing4j.sharedmemory.SharedMemory;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Runs with a 1 MiB tmpfs on /dev/shm (see {@link ShmFullTest}): asks for more than there is, and
 * fills what it got, reporting each outcome.
 */
public final class FullShmMain {
    private FullShmMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            SharedMemory.create(2 << 20);
            SeparateJvm.report("BLOCK_2M", "created");
        } catch (IOException e) {
            SeparateJvm.report("BLOCK_2M", e.getMessage());
        }
        try {
            SharedIntArray.create(1 << 20);
            SeparateJvm.report("ARRAY_4M", "created");
        } catch (UncheckedIOException e) {
            SeparateJvm.report("ARRAY_4M", e.getMessage());
        }
        SharedMemory half = SharedMemory.create(600 << 10);
        ByteBuffer buf = half.buf();
        while (buf.hasRemaining()) {
            buf.put((byte) 1); // every page is backed: no SIGBUS
        }
        SeparateJvm.report("FILLED", half.size());
        try {
            SharedMemory.create(600 << 10);
            SeparateJvm.report("SECOND_600K", "created");
        } catch (IOException e) {
            SeparateJvm.report("SECOND_600K", e.getMessage());
        }
        half.unlink();
        SeparateJvm.ready();
    }
}
