package io.multiprocessing4j.internal.manager;

import java.io.Serializable;

/** A manager's pool task's outcome as it travels: its value, or the exception it failed with (null if none). */
public record TaskOutcome(Object value, Throwable failure) implements Serializable {
    private static final long serialVersionUID = 1L;
}
