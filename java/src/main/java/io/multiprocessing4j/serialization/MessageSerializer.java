package io.multiprocessing4j.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * How {@link io.multiprocessing4j.connection.Connection#send(Object)} turns an object into bytes and {@link io.multiprocessing4j.connection.Connection#recv()}
 * turns them back: Java serialization by default ({@link #javaSerialization()}).
 *
 * <p>A connection encodes {@code null}, strings, boxed primitives, {@code byte[]}, {@code int[]},
 * {@code long[]} and {@code double[]} itself, in a compact form that involves no serializer (and
 * no class loading, so no filter); every other object goes through the serializer. Both ends of a
 * connection must use the same serializer.
 *
 * <p>While the serializer runs, objects that own file descriptors (a {@link io.multiprocessing4j.connection.Connection}) may be
 * part of the graph: with Java serialization they travel with the message (SCM_RIGHTS) and arrive
 * as working objects. Implementations must be safe for use by several threads at once.
 */
public interface MessageSerializer {
    /** Writes {@code value} to {@code out} (an in-memory buffer; no need to buffer or close it). */
    void write(Object value, OutputStream out) throws IOException;

    /**
     * Reads one value from {@code in}, which holds exactly what {@link #write} wrote.
     * {@code filter} is the connection's deserialization filter (null: the JVM-wide one applies);
     * implementations that create classes by name should honour it.
     */
    Object read(InputStream in, ObjectInputFilter filter) throws IOException, ClassNotFoundException;

    /** Java serialization ({@link ObjectOutputStream}), filtered by the connection's {@link ObjectInputFilter}. */
    static MessageSerializer javaSerialization() {
        return JavaSerializer.INSTANCE;
    }
}
