package io.multiprocessing4j.errors;

/**
 * {@link io.multiprocessing4j.ChildProcess#start()} could not bring the child to the point of running its target: the
 * target would not serialize, the JVM could not be spawned, or the child JVM failed to boot (the
 * message then carries what it printed, e.g. an unrecognized option). The cause, when there is
 * one, is the underlying exception ({@link SystemCallException}, {@link java.io.NotSerializableException}, ...).
 */
public class ProcessStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A start that failed for the reason {@code message} gives, with no underlying exception. */
    public ProcessStartException(String message) {
        super(message);
    }

    /** A start that failed for the reason {@code message} gives, because of {@code cause}. */
    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
