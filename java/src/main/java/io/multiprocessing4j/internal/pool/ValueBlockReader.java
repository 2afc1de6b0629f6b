package io.multiprocessing4j.internal.pool;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.StreamCorruptedException;
import java.util.ArrayList;

/**
 * Reads the values of a block written by {@link ValueBlockWriter}, in order. The serialized section
 * is opened only when the first value that needs it is read, so a block of plain values never
 * touches Java serialization (whose first use costs a fresh JVM tens of milliseconds).
 */
final class ValueBlockReader {
    private final WireReader in;
    private final int sectionStart;
    private final int end;
    private ObjectInputStream objects;

    ValueBlockReader(byte[] array, int offset, int length) throws StreamCorruptedException {
        int section = new WireReader(array, offset, length).getInt();
        this.end = offset + length;
        if (section == -1) {
            this.sectionStart = end;
        } else if (section >= 4 && section <= length) {
            this.sectionStart = offset + section;
        } else {
            throw new StreamCorruptedException("malformed value block: serialized section at " + section
                    + " of " + length + " bytes");
        }
        // direct values end where the section begins: a malformed one cannot read into it
        this.in = new WireReader(array, offset + 4, sectionStart - offset - 4);
    }

    Object read() throws IOException, ClassNotFoundException {
        if (!in.hasRemaining()) {
            throw new StreamCorruptedException("malformed value block: fewer values than announced");
        }
        byte tag = in.getByte();
        if (tag == ValueTags.LIST) {
            int size = in.getLength(1); // every element takes at least its tag byte
            ArrayList<Object> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(read());
            }
            return list;
        }
        if (tag != ValueTags.SERIALIZED) {
            return ValueTags.readDirect(tag, in);
        }
        if (objects == null) {
            if (sectionStart == end) {
                throw new StreamCorruptedException("malformed value block: a serialized value without a section");
            }
            objects = new ObjectInputStream(new ByteArrayInputStream(in.array, sectionStart, end - sectionStart));
        }
        try {
            return objects.readObject();
        } catch (EOFException cutShort) {
            StreamCorruptedException malformed = new StreamCorruptedException(
                    "malformed value block: the serialized section ends early");
            malformed.initCause(cutShort);
            throw malformed;
        }
    }
}
