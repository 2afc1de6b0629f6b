package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.connection.MessageSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/** The default {@link MessageSerializer}: one Java serialization stream per message. */
public final class JavaSerializer implements MessageSerializer {
    public static final JavaSerializer INSTANCE = new JavaSerializer();

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
        ObjectInputStream objects = new ObjectInputStream(in);
        if (filter != null) {
            objects.setObjectInputFilter(filter);
        }
        return objects.readObject();
    }

    @Override
    public String toString() {
        return "Java serialization";
    }
}
