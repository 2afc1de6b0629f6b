package io.multiprocessing4j.internal.queue;

import io.multiprocessing4j.support.SeparateJvm;

/**
 * A process that puts two messages too large for its queue's ring, reports their segments, and
 * waits to be killed (SpilledMessagesLeakTest).
 */
public final class SpilledThenKilledMain {
    private SpilledThenKilledMain() {
    }

    public static void main(String[] args) throws Exception {
        MessageRing ring = MessageRing.create(4096, 0, "test");
        ring.tryPut(OutgoingMessage.of(new byte[20_000]));
        ring.tryPut(OutgoingMessage.of(new byte[30_000]));
        SeparateJvm.report("SPILLED", String.join(",", ring.spilledSegmentNames()));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
