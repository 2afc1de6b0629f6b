package io.multiprocessing4j.internal.transfer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.invoke.SerializedLambda;

/** Java serialization of object graphs that may carry fds (see {@link FdTransfer}). */
public final class Serialization {
    private Serialization() {
    }

    /** Serializes {@code value}; fd-owning objects in it register with {@code transfer}. */
    public static byte[] serialize(Object value, FdTransfer transfer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        transfer.activate();
        try (ObjectOutputStream out = new LambdaReplacingOutput(bytes)) {
            out.writeObject(value);
        } finally {
            transfer.deactivate();
        }
        return bytes.toByteArray();
    }

    /** Writes the library's own lambdas in a form read back as direct calls ({@link DirectLambdaForm}). */
    private static final class LambdaReplacingOutput extends ObjectOutputStream {
        LambdaReplacingOutput(ByteArrayOutputStream bytes) throws IOException {
            super(bytes);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object written) {
            return written instanceof SerializedLambda ? DirectLambdaForm.replacing((SerializedLambda) written) : written;
        }
    }

    /** Deserializes a graph written by {@link #serialize}, handing its fds out through {@code transfer}. */
    public static Object deserialize(byte[] data, FdTransfer transfer) throws IOException, ClassNotFoundException {
        transfer.activate();
        try (LimitedObjectInput in = objectInput(data, 0, data.length)) {
            return in.readLimited();
        } finally {
            transfer.deactivate();
        }
    }

    /**
     * A stream over {@code data[offset, offset + length)} for the library's private channels
     * (a child's target, pool tasks and results, queue messages): any class, within the
     * {@linkplain DeserializationRules#PRIVATE resource limits} of private channels. Read with
     * {@link LimitedObjectInput#readLimited()} for refusals that name their reason.
     */
    public static LimitedObjectInput objectInput(byte[] data, int offset, int length) throws IOException {
        return new LimitedObjectInput(new ByteArrayInputStream(data, offset, length), length,
                DeserializationRules.PRIVATE.filter(length, null));
    }
}
