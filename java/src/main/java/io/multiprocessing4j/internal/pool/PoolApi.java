package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.IMapIterator;
import java.lang.invoke.MethodHandles;

/**
 * Lets the pool's internals create the public result types without public constructors that take
 * internal types. {@link AsyncResult} registers the factory when its class initializes.
 */
public final class PoolApi {
    /** Implemented inside the public {@code pool} package. */
    public interface Factory {
        <T> AsyncResult<T> asyncResult(ResultCell<T> cell);

        <T> IMapIterator<T> imapIterator(IMapState<T> state);
    }

    private static volatile Factory factory;

    private PoolApi() {
    }

    public static void register(Factory registered) {
        factory = registered;
    }

    static Factory get() {
        Factory current = factory;
        if (current == null) {
            try {
                MethodHandles.lookup().ensureInitialized(AsyncResult.class); // runs its registration
            } catch (IllegalAccessException impossible) {
                throw new IllegalStateException(impossible);
            }
            current = factory;
        }
        return current;
    }
}
