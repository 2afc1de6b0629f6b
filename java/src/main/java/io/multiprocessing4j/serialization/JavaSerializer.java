package io.multiprocessing4j.serialization;

import io.multiprocessing4j.internal.transfer.LimitedObjectInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * The default {@link MessageSerializer}: one Java serialization stream per message, read under
 * the connection's filter and the hashing bound of {@link LimitedObjectInput}.
 */
final class JavaSerializer implements MessageSerializer {
    static final JavaSerializer INSTANCE = new JavaSerializer();

    private JavaSerializer() {
    }

    @Override
    public void write(Object value, OutputStream out) throws IOException {
        ObjectOutputStream objects = new ObjectOutputStream(out);
        objects.writeObject(value);
        objects.flush();
    }

    @Override
    public Object read(InputStream in, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        // the stream is the rest of one message, in memory: available() is its length
        return new LimitedObjectInput(in, in.available(), filter).readLimited();
    }

    @Override
    public String toString() {
        return "Java serialization";
    }
}
