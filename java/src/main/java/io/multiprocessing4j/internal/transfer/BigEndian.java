package io.multiprocessing4j.internal.transfer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Numbers in byte arrays, in the one byte order of every multiprocessing4j wire form (big-endian,
 * as CPython's frame header, so that a dumped message reads the same everywhere).
 */
public final class BigEndian {
    public static final VarHandle SHORTS = view(short[].class);
    public static final VarHandle CHARS = view(char[].class);
    public static final VarHandle INTS = view(int[].class);
    public static final VarHandle LONGS = view(long[].class);

    private BigEndian() {
    }

    private static VarHandle view(Class<?> arrayType) {
        return MethodHandles.byteArrayViewVarHandle(arrayType, ByteOrder.BIG_ENDIAN);
    }
}
