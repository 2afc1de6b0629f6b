package io.multiprocessing4j.errors;

/**
 * Stands in for an exception thrown in a worker that could not travel back as itself (it, or
 * something it refers to, is not serializable, or its class is missing here). It keeps what
 * matters: the original class name, message and stack trace (the worker's), and the causes,
 * converted the same way where needed. It prints like the original.
 */
public class RemoteTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    /**
     * A stand-in for an exception of class {@code remoteClassName} with its {@code message}, the
     * worker's {@code stackTrace}, and its {@code cause} (itself converted where needed, or null).
     */
    public RemoteTaskException(String remoteClassName, String message, StackTraceElement[] stackTrace, Throwable cause) {
        super(message, cause);
        this.remoteClassName = remoteClassName;
        setStackTrace(stackTrace);
    }

    /** The class of the exception the worker threw. */
    public String remoteClassName() {
        return remoteClassName;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return remoteClassName + " (remote)" + (message != null ? ": " + message : "");
    }
}
