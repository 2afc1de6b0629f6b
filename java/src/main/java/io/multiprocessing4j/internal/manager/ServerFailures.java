package io.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;

/**
 * Exceptions thrown by a shared object in the manager's server, thrown again in the caller.
 * The caller gets an exception of the same class and message (an index out of range is an
 * {@link IndexOutOfBoundsException}, as with a local list) whose stack trace is the caller's and
 * whose cause is the server's exception, with the server's stack trace.
 */
public final class ServerFailures {
    private ServerFailures() {
    }

    /** What to throw in the caller for {@code remote}, the exception the server sent back. */
    public static RuntimeException inCaller(Throwable remote) {
        if (remote instanceof RegisteredObject.RegisteredFailure) {
            remote = remote.getCause(); // a checked exception of a registered method
        }
        if (remote instanceof RuntimeException || remote instanceof Error) {
            Throwable copy = sameKind(remote);
            if (copy instanceof Error) {
                throw (Error) copy;
            }
            return (RuntimeException) copy;
        }
        if (remote instanceof IOException) {
            return new UncheckedIOException("the manager failed: " + remote, (IOException) remote);
        }
        return new IllegalStateException("the manager failed: " + remote, remote);
    }

    /**
     * A new exception of {@code remote}'s class and message, caused by {@code remote}; {@code remote}
     * itself if its class has no public (String) constructor or already sets a cause of its own.
     */
    public static Throwable sameKind(Throwable remote) {
        try {
            Constructor<? extends Throwable> constructor = remote.getClass().getConstructor(String.class);
            Throwable copy = constructor.newInstance(remote.getMessage());
            copy.initCause(remote);
            return copy;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return remote;
        }
    }

    /** The checked exception a registered method threw in the server, or null if {@code remote} is not one. */
    public static Throwable checkedOfRegistered(Throwable remote) {
        return remote instanceof RegisteredObject.RegisteredFailure ? remote.getCause() : null;
    }
}
