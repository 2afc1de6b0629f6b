package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.internal.process.ProcessIdentity;

/**
 * What the process of a manager's server is to itself. It is started as a daemon child, so that
 * the kernel kills it with its owner and its owner's exit ends it rather than waiting for it; but
 * inside, it is a server that may start children of its own, as Python's (non-daemonic) one does:
 * the workers of a manager's pool. They are daemon children of the server, so they go with it.
 */
final class ServerProcess {
    private ServerProcess() {
    }

    /** Lets this process, a manager's server, start children although it was started as a daemon. */
    static void allowChildren() {
        ProcessIdentity me = ProcessIdentity.current();
        if (me.isDaemon() && !me.isMainProcess()) {
            ProcessIdentity.installChild(me.name(), me.identity(), false, me.authkey(), me.parentPid(), me.parentName());
        }
    }
}
