package io.multiprocessing4j.support;

import io.multiprocessing4j.ContextSpares;
import io.multiprocessing4j.ProcessContext;
import io.multiprocessing4j.StartMethod;
import java.time.Duration;

/** Lets background boots of warm spares finish, so that a test's fd or process counts are stable. */
public final class Spares {
    private Spares() {
    }

    public static void settle() throws InterruptedException {
        ProcessContext context = ProcessContext.defaultContext();
        if (context.startMethod() == StartMethod.WARM) {
            if (ContextSpares.of(context).aimedCount() > context.warmSpares()) {
                // A burst of starts grew the count (up to 16): one boot of the floor's spare
                // again is quicker than waiting for each of those to boot.
                context.releaseWarmSpares();
            }
            if (!context.awaitWarmSpares(Duration.ofSeconds(60))) {
                throw new AssertionError("warm spares did not settle");
            }
        }
    }
}
