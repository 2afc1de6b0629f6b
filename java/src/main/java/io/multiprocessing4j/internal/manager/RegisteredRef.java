package io.multiprocessing4j.internal.manager;

import java.io.Serializable;

/**
 * The server's answer for a method whose result stays there (Python's {@code method_to_typeid}):
 * the new object's id, already referenced once by the calling connection, and the interface the
 * caller's proxy implements.
 */
public record RegisteredRef(String typeId, String iface, long id) implements Serializable {
    private static final long serialVersionUID = 1L;
}
