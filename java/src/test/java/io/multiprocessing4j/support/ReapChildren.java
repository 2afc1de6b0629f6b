package io.multiprocessing4j.support;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Kills and joins whatever children a test left running, passed or failed. */
public final class ReapChildren implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (ChildProcess child : Multiprocessing.activeChildren()) {
            try {
                child.kill();
                child.join(Duration.ofSeconds(10));
            } catch (IllegalStateException closedOrForeign) {
                // nothing left to do
            }
        }
    }
}
