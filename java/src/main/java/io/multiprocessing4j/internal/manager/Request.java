package io.multiprocessing4j.internal.manager;

import java.io.Serializable;

/**
 * One call from a proxy to the manager's server: {@code operation} on the shared object
 * {@code objectId} (0 for the server itself: create, incref, shutdown ...) with {@code args}.
 * Before the operation, the server takes one reference for each id in {@code acquires} (proxies
 * that arrived in this process since the last request) and gives one back for each id in
 * {@code releases} (proxies dropped here), in that order; neither costs a round trip of its own
 * (see {@link ManagerConnection}). Either may be null for none. {@code thread} is the calling
 * thread's id in the client, which holds the locks it takes.
 */
record Request(long objectId, String operation, Object[] args, long[] acquires, long[] releases, long thread)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
