package io.multiprocessing4j.internal.transfer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Numbers in byte arrays, big-endian (network order, as the frame headers CPython defines): the
 * one byte order of every message we encode.
 */
public final class ByteViews {
    public static final VarHandle SHORTS = view(short[].class);
    public static final VarHandle CHARS = view(char[].class);
    public static final VarHandle INTS = view(int[].class);
    public static final VarHandle LONGS = view(long[].class);
    public static final VarHandle FLOATS = view(float[].class);
    public static final VarHandle DOUBLES = view(double[].class);

    private ByteViews() {
    }

    private static VarHandle view(Class<?> arrayType) {
        return MethodHandles.byteArrayViewVarHandle(arrayType, ByteOrder.BIG_ENDIAN);
    }
}
