package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolRunnable;
import io.multiprocessing4j.function.PoolStarFunction;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * How a worker calls a task's function, and so how many values each item of a task carries.
 * Chosen by the pool method that took the function, not guessed from the object (which may
 * implement several of the interfaces).
 */
public enum CallKind {
    /** {@link Callable#call()} (a {@link PoolCallable}, or any serializable Callable): no values per item. */
    CALL('c', 0),
    /** {@link Runnable#run()} (a {@link PoolRunnable}, or any serializable Runnable): no values; the result is null. */
    RUN('r', 0),
    /** {@link PoolFunction#apply}: one value per item. */
    APPLY('f', 1),
    /** {@link PoolBiFunction#apply}: two values per item. */
    APPLY2('2', 2),
    /** {@link PoolStarFunction#apply}: per item, a count and that many values. */
    STAR('*', -1);

    final byte code;
    final int arity;

    CallKind(char code, int arity) {
        this.code = (byte) code;
        this.arity = arity;
    }

    static CallKind of(byte code) throws StreamCorruptedException {
        for (CallKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new StreamCorruptedException("malformed pool message: unknown call kind " + code);
    }

    /** The expected interface, for a clear message when a function is of another type. */
    Class<?> type() {
        switch (this) {
            case CALL:
                return Callable.class;
            case RUN:
                return Runnable.class;
            case APPLY:
                return PoolFunction.class;
            case APPLY2:
                return PoolBiFunction.class;
            default:
                return PoolStarFunction.class;
        }
    }

    /** Calls {@code function} on one item, reading its arguments from {@code in}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object call(Object function, ValueBlockReader in) throws Exception {
        switch (this) {
            case CALL:
                return ((Callable) function).call();
            case RUN:
                ((Runnable) function).run();
                return null;
            case APPLY:
                return ((PoolFunction) function).apply(in.read());
            case APPLY2: {
                Object first = in.read();
                return ((PoolBiFunction) function).apply(first, in.read());
            }
            default: {
                Object count = in.read();
                if (!(count instanceof Integer) || (Integer) count < 0) {
                    throw new StreamCorruptedException("malformed pool message: argument count " + count);
                }
                List<Object> arguments = new ArrayList<>((Integer) count);
                for (int i = 0; i < (Integer) count; i++) {
                    arguments.add(in.read());
                }
                return ((PoolStarFunction) function).apply(arguments);
            }
        }
    }
}
