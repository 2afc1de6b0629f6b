package io.multiprocessing4j.hazelcast.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialization to and from bytes. Tasks and outcomes travel as bytes that we encode
 * ourselves, so that a value that cannot be serialized is reported by us, naming its class, where
 * it is (in the caller for a task, in the member for a result), instead of failing inside Hazelcast.
 */
public final class Codec {
    private Codec() {
    }

    public static byte[] encode(Object value) throws NotSerializableException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException e) {
            NotSerializableException wrapped = new NotSerializableException(e.toString());
            wrapped.initCause(e);
            throw wrapped;
        }
        return bytes.toByteArray();
    }

    public static Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    /** Resolves classes with the thread's context class loader first (Hazelcast's threads set it to the configured one). */
    private static final class ContextObjectInputStream extends ObjectInputStream {
        ContextObjectInputStream(ByteArrayInputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                try {
                    return Class.forName(desc.getName(), false, context);
                } catch (ClassNotFoundException notThere) {
                    // fall back to the default lookup below
                }
            }
            return super.resolveClass(desc);
        }
    }
}
