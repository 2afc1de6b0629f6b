package io.multiprocessing4j.internal.pool;

import java.io.NotSerializableException;

/** The caller's error when something it submitted cannot travel to a worker. */
final class Serializability {
    private Serializability() {
    }

    /**
     * The function or task object itself is not serializable. For a lambda this means it was
     * written where a plain {@code Callable}, {@code Runnable} or {@code Function} was expected, so
     * javac compiled it as not serializable: say how to fix that.
     */
    static IllegalArgumentException notSerializableFunction(String what, Object function) {
        String type = function.getClass().getName();
        String reason = type.contains("$$Lambda") || function.getClass().isSynthetic()
                ? "this lambda was compiled as not serializable, because it was written where a plain"
                        + " interface was expected (say, a Callable variable or a List<Callable<T>>); write it where a"
                        + " PoolCallable, PoolRunnable or PoolFunction is expected, or cast it:"
                        + " (PoolCallable<T>) () -> ..."
                : type + " does not implement java.io.Serializable";
        return new IllegalArgumentException("cannot submit to the pool: " + what + " is not serializable: " + reason,
                new NotSerializableException(type));
    }

    /**
     * An {@link IllegalArgumentException} saying that {@code what} (e.g. "the function", "the
     * argument of item 3") cannot be serialized, and why; the serialization failure is its cause.
     */
    static IllegalArgumentException notSerializable(String what, Exception failure) {
        String message = failure.getMessage();
        String reason;
        if (message != null && message.contains("file descriptor")) {
            // a Lock, shared value or Connection: it cannot ride along with a task
            reason = message + " (to share it with the workers, capture it in the pool's initializer,"
                    + " which travels with each worker as it starts, as Python's initargs do)";
        } else if (failure instanceof NotSerializableException && message != null && !message.contains(" ")) {
            reason = message + " does not implement java.io.Serializable";
            if (what.contains("function") || what.contains("task")) {
                reason += " (a lambda must capture only serializable values: capturing 'this' of a"
                        + " non-serializable class is the usual cause)";
            }
        } else {
            reason = String.valueOf(failure);
        }
        return new IllegalArgumentException("cannot submit to the pool: " + what + " is not serializable: "
                + reason, failure);
    }
}
