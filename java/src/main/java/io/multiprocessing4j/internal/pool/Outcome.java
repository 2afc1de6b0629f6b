package io.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * How one task ended, as received: the bytes of its results (or of the exception it threw), or a
 * failure decided here (its worker died, it timed out). Decoded only when somebody asks, and then
 * in the asking thread (the caller of {@code get()}, the callback thread), never in the thread
 * that collects results from the workers: deserialization may be slow and may run user code.
 */
final class Outcome {
    private final boolean success;
    /** The answer's bytes; dropped once decoded. */
    private byte[] array;
    private final int offset;
    private final int length;
    private final int items;
    /** Which worker answered, for messages: "PoolWorker-2 (pid 1234)". */
    private final String where;
    private Throwable failure;
    private List<Object> values;

    private Outcome(boolean success, byte[] array, int offset, int length, int items, String where,
                    Throwable failure) {
        this.success = success;
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.items = items;
        this.where = where;
        this.failure = failure;
    }

    static Outcome success(byte[] array, int offset, int length, int items, String where) {
        return new Outcome(true, array, offset, length, items, where, null);
    }

    /** The task threw: the block holds the exception. */
    static Outcome remoteFailure(byte[] array, int offset, int length, String where) {
        return new Outcome(false, array, offset, length, 0, where, null);
    }

    /** The task failed here: its worker died, it timed out, the pool was broken. */
    static Outcome failure(Throwable failure) {
        return new Outcome(false, null, 0, 0, 0, null, failure);
    }

    boolean isSuccess() {
        return success;
    }

    /** The results of the task's items, decoded once; a result that cannot be decoded here fails. */
    synchronized List<Object> values() throws ExecutionException {
        if (!success) {
            throw executionException();
        }
        if (values == null) {
            try {
                ValueBlockReader in = new ValueBlockReader(array, offset, length);
                List<Object> decoded = new ArrayList<>(items);
                for (int i = 0; i < items; i++) {
                    decoded.add(in.read());
                }
                values = decoded;
                array = null;
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                throw new ExecutionException("the result of a task run by " + where + " cannot be decoded here: "
                        + e, e);
            }
        }
        return values;
    }

    /** Why the task failed (null if it did not): the worker's exception, with the worker's stack trace. */
    synchronized Throwable failure() {
        if (success) {
            return null;
        }
        if (failure == null) {
            failure = RemoteFailures.decode(array, offset, length, where);
            array = null;
        }
        return failure;
    }

    /** The failure as {@code Future.get} reports it. */
    ExecutionException executionException() {
        Throwable cause = failure();
        String message = where != null ? "the task failed in " + where + ": " + cause : String.valueOf(cause);
        return new ExecutionException(message, cause);
    }
}
