package io.multiprocessing4j.internal.transfer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/** Java serialization of object graphs that may carry fds (see {@link FdTransfer}). */
public final class Serialization {
    private Serialization() {
    }

    /** Serializes {@code value}; fd-owning objects in it register with {@code transfer}. */
    public static byte[] serialize(Object value, FdTransfer transfer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        transfer.activate();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } finally {
            transfer.deactivate();
        }
        return bytes.toByteArray();
    }

    /** Deserializes a graph written by {@link #serialize}, handing its fds out through {@code transfer}. */
    public static Object deserialize(byte[] data, FdTransfer transfer) throws IOException, ClassNotFoundException {
        transfer.activate();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            return in.readObject();
        } finally {
            transfer.deactivate();
        }
    }
}
