package io.multiprocessing4j.sharedctypes;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.util.function.IntUnaryOperator;
import java.util.function.LongUnaryOperator;

/** A single value in shared memory (Python's {@code Value}); its word is at offset 0 of its own segment. */
public abstract sealed class SharedScalar extends SharedCtype
        permits SharedByte, SharedShort, SharedInt, SharedLong, SharedFloat, SharedDouble {
    private static final long serialVersionUID = 1L;

    /** Every scalar gets an aligned 8-byte slot; narrow types use its first int. */
    static final int SIZE = 8;

    SharedScalar(Segment segment, ProcessLock lock) {
        super(segment, lock);
    }

    static Segment newSegment(String what) {
        return Segment.createAnonymous(SIZE, what);
    }

    /**
     * Replaces the 32-bit slot's bits with {@code function} of them, atomically, retrying when
     * another thread or process got in between; returns the new bits if {@code returnNew}, else
     * the bits it replaced.
     */
    final int updateIntBits(IntUnaryOperator function, boolean returnNew) {
        segment.checkOpen();
        int current = (int) INT.getVolatile(buffer, 0);
        while (true) {
            int next = function.applyAsInt(current);
            int witness = (int) INT.compareAndExchange(buffer, 0, current, next);
            if (witness == current) {
                return returnNew ? next : current;
            }
            current = witness;
        }
    }

    /** The 64-bit slot's version of {@link #updateIntBits}. */
    final long updateLongBits(LongUnaryOperator function, boolean returnNew) {
        segment.checkOpen();
        long current = (long) LONG.getVolatile(buffer, 0);
        while (true) {
            long next = function.applyAsLong(current);
            long witness = (long) LONG.compareAndExchange(buffer, 0, current, next);
            if (witness == current) {
                return returnNew ? next : current;
            }
            current = witness;
        }
    }
}
