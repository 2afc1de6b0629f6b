package io.multiprocessing4j.errors;

import java.io.IOException;

/**
 * A system call failed. The message names the call and the error, e.g.
 * {@code "pidfd_open failed: ESRCH (No such process)"}; {@link #errno()} gives the number.
 */
public class SystemCallException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private final String errnoName;

    /**
     * {@code call} failed with {@code errno}, whose symbolic name ({@code "ESRCH"}) and
     * {@code strerror} text ({@code "No such process"}) go into the message.
     */
    public SystemCallException(String call, int errno, String errnoName, String description) {
        this(call, errno, errnoName, description, null);
    }

    /**
     * As {@link #SystemCallException(String, int, String, String)}, with {@code advice} (what the
     * error means in this place and what to do about it, or null) after the error in the message.
     */
    public SystemCallException(String call, int errno, String errnoName, String description, String advice) {
        super(call + " failed: " + errnoName + " (" + description + ")" + (advice == null ? "" : ": " + advice));
        this.call = call;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    /** The system call (or libc function) that failed, e.g. {@code "execve"}. */
    public String call() {
        return call;
    }

    /** The errno value it reported. */
    public int errno() {
        return errno;
    }

    /** The symbolic name of {@link #errno()}, e.g. {@code "ENOENT"}. */
    public String errnoName() {
        return errnoName;
    }
}
