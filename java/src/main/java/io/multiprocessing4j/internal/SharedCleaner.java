package io.multiprocessing4j.internal;

import java.lang.ref.Cleaner;

/** The library's one Cleaner thread: the safety net for fds and handles whose owner was dropped unclosed. */
public final class SharedCleaner {
    public static final Cleaner INSTANCE = Cleaner.create();

    private SharedCleaner() {
    }
}
