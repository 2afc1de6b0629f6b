package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import java.lang.invoke.MethodHandles;

/**
 * Lets library code outside the public {@code connection} package (such as
 * {@code Multiprocessing.wait}) reach what a {@link Connection} or {@link Listener} holds, without
 * making it public API. {@link Connection} registers the accessor when its class initializes.
 */
public final class ConnectionAccess {
    /** Implemented inside the {@code connection} package. */
    public interface Accessor {
        MessageChannel channelOf(Connection connection);

        Waitable waitableOf(Listener listener);

        /** A duplex connection over an accepted or connected socket. */
        Connection open(OwnedFd fd, Transport transport);

        /** Makes {@code listener} refuse, unread, peers of any uid but {@code uid} (SO_PEERCRED). */
        void requirePeerUid(Listener listener, int uid);
    }

    private static volatile Accessor accessor;

    private ConnectionAccess() {
    }

    public static void register(Accessor registered) {
        accessor = registered;
    }

    public static Accessor get() {
        Accessor current = accessor;
        if (current == null) {
            try {
                MethodHandles.lookup().ensureInitialized(Connection.class); // runs its registration
            } catch (IllegalAccessException impossible) {
                throw new IllegalStateException(impossible);
            }
            current = accessor;
        }
        return current;
    }
}
