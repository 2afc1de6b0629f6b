package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.errors.RemoteTaskException;
import java.io.IOException;
import java.io.StreamCorruptedException;

/**
 * Exceptions crossing from a worker to the parent. A serializable exception travels as itself
 * (Java serialization keeps its stack trace, the worker's, and its causes); one that cannot
 * travel, or cannot be decoded here, arrives as a {@link RemoteTaskException} with the same class
 * name, message and stack trace, its causes converted alike.
 */
public final class RemoteFailures {
    private static final int MAX_CAUSES = 64;

    private RemoteFailures() {
    }

    /** Writes {@code failure} as a block holding one value, in whichever form can travel. */
    static void encode(Throwable failure, ValueBlockWriter values, WireBuffer out) {
        values.begin(out);
        try {
            values.write(failure);
            values.end();
            return;
        } catch (IOException | RuntimeException notSerializable) {
            values.abandon();
        }
        values.begin(out);
        try {
            values.write(standIn(failure, 0));
            values.end();
        } catch (IOException | RuntimeException impossible) {
            // a RemoteTaskException of strings and stack trace elements always serializes; keep the message
            values.abandon();
            values.begin(out);
            try {
                values.write(new RemoteTaskException(failure.getClass().getName(), String.valueOf(failure.getMessage()),
                        new StackTraceElement[0], null));
                values.end();
            } catch (IOException stillImpossible) {
                throw new IllegalStateException(stillImpossible);
            }
        }
    }

    /**
     * A serializable copy of {@code failure} and its causes, as {@link RemoteTaskException}s of the same
     * class names, messages and stack traces: for any exception that must cross to another process
     * and cannot travel as itself (the manager's server sends its exceptions back this way too).
     */
    public static Throwable serializableCopy(Throwable failure) {
        return standIn(failure, 0);
    }

    /** A serializable copy of {@code failure} and its causes. */
    private static Throwable standIn(Throwable failure, int depth) {
        Throwable cause = failure.getCause();
        Throwable convertedCause = cause == null || cause == failure || depth >= MAX_CAUSES ? null
                : standIn(cause, depth + 1);
        String message;
        try {
            message = failure.getMessage();
        } catch (RuntimeException e) {
            message = "(getMessage() threw " + e + ")";
        }
        RemoteTaskException copy = new RemoteTaskException(failure.getClass().getName(), message, failure.getStackTrace(),
                convertedCause);
        for (Throwable suppressed : failure.getSuppressed()) {
            if (depth < MAX_CAUSES) {
                copy.addSuppressed(standIn(suppressed, depth + 1));
            }
        }
        return copy;
    }

    /** The exception a block holds; if it cannot be decoded, an exception that says why. */
    static Throwable decode(byte[] array, int offset, int length, String where) {
        try {
            Object value = new ValueBlockReader(array, offset, length).read();
            if (value instanceof Throwable) {
                return (Throwable) value;
            }
            return new StreamCorruptedException("a failed task's answer from " + where + " holds no exception but "
                    + value);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return new RemoteTaskException("(unknown)", "a task failed in " + where
                    + ", and its exception cannot be decoded here: " + e, new StackTraceElement[0], e);
        }
    }
}
