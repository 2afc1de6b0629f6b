package io.multiprocessing4j.internal.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Atomic access to aligned words of a direct (mapped) buffer, indexed by byte offset. These are
 * what make the uncontended paths of every primitive pure Java: a CAS on shared memory, no JNI.
 */
public final class SharedWords {
    /** 32-bit words: get/set in every mode, compareAndSet, getAndAdd, getAndSet. */
    public static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** 64-bit words, likewise. */
    public static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** Aligned shorts: volatile get and set (no atomic updates). */
    public static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());
    /** Aligned floats: volatile get and set. */
    public static final VarHandle FLOAT = MethodHandles.byteBufferViewVarHandle(float[].class, ByteOrder.nativeOrder());
    /** Aligned doubles: volatile get and set. */
    public static final VarHandle DOUBLE = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.nativeOrder());

    private SharedWords() {
    }
}
