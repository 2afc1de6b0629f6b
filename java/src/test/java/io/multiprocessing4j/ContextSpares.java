package io.multiprocessing4j;

import io.multiprocessing4j.internal.process.WarmSpares;

/** For test support outside this package: a context's warm spares, which its package-private settings key. */
public final class ContextSpares {
    private ContextSpares() {
    }

    public static WarmSpares of(ProcessContext context) {
        return WarmSpares.of(context.settings());
    }
}
