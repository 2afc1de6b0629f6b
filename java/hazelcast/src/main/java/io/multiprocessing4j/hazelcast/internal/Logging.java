package io.multiprocessing4j.hazelcast.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Hazelcast logs every join and migration at INFO; members and owners keep warnings only. */
public final class Logging {
    // Held so that the level set stays (java.util.logging keeps loggers weakly).
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

    private Logging() {
    }

    public static void quiet() {
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "jdk");
        }
        if (System.getProperty("multiprocessing4j.hazelcast.verbose") == null) {
            HAZELCAST.setLevel(Level.WARNING);
        }
    }
}
