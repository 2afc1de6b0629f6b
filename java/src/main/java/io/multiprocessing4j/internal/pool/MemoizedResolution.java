package io.multiprocessing4j.internal.pool;

import java.util.concurrent.ExecutionException;

/**
 * A resolution decoded once, by the first thread that asks: later {@code get()}s return the same
 * value (as Python's {@code get()} returns the same list each time) or throw the same failure.
 */
final class MemoizedResolution<T> implements ResultCell.Resolution<T> {
    private final ResultCell.Resolution<T> decode;
    private boolean done;
    private T value;
    private ExecutionException failure;

    MemoizedResolution(ResultCell.Resolution<T> decode) {
        this.decode = decode;
    }

    @Override
    public synchronized T value() throws ExecutionException {
        if (!done) {
            try {
                value = decode.value();
            } catch (ExecutionException e) {
                failure = e;
            }
            done = true;
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }
}
