package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.manager.SharedKind;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.net.SocketAddress;

/**
 * The serialized form of every proxy (Python's {@code RebuildProxy} arguments): which object, in
 * which manager, and the key to reach it. Deserialized in another process (a child's target, a
 * pool task, a message), it becomes a new proxy there, with a connection and a reference of its
 * own; the process that sent it must keep its proxy until then, as in Python.
 *
 * <p>The manager's authkey travels inside: a proxy is as much of a secret as the key itself.
 */
final class ProxyToken implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SharedKind kind;
    private final long id;
    private final SocketAddress address;
    private final byte[] authkey;
    /** The interface of a registered type's proxy; null for the built-in kinds. */
    private final String iface;

    ProxyToken(ProxyHandle handle) {
        this(handle, null);
    }

    ProxyToken(ProxyHandle handle, String iface) {
        this.iface = iface;
        this.kind = handle.kind();
        this.id = handle.id();
        this.address = handle.address();
        this.authkey = handle.authkey();
    }

    private Object readResolve() throws ObjectStreamException {
        ProxyHandle handle = ProxyHandle.attach(address, authkey, kind, id);
        if (kind == SharedKind.REGISTERED) {
            return RegisteredProxy.handler(handle, RegisteredProxy.load(iface)); // the stream makes the proxy around it
        }
        return Proxies.proxyFor(handle);
    }
}
