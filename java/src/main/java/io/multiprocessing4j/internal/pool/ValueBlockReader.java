package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.transfer.ByteCursor;
import io.multiprocessing4j.internal.transfer.DirectValues;
import io.multiprocessing4j.internal.transfer.LimitedObjectInput;
import io.multiprocessing4j.internal.transfer.Serialization;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;

/**
 * Reads the values of a block written by {@link ValueBlockWriter}, in order. The serialized section
 * is opened only when the first value that needs it is read, so a block of plain values never
 * touches Java serialization (whose first use costs a fresh JVM tens of milliseconds).
 */
final class ValueBlockReader {
    private final ByteCursor in;
    private final int sectionStart;
    private final int end;
    private LimitedObjectInput objects;

    ValueBlockReader(byte[] array, int offset, int length) throws StreamCorruptedException {
        int section = new ByteCursor(array, offset, length).getInt();
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
        this.in = new ByteCursor(array, offset + 4, sectionStart - offset - 4);
    }

    Object read() throws IOException, ClassNotFoundException {
        return read(0);
    }

    private Object read(int depth) throws IOException, ClassNotFoundException {
        if (!in.hasRemaining()) {
            throw new StreamCorruptedException("malformed value block: fewer values than announced");
        }
        byte tag = in.getByte();
        if (tag == DirectValues.LIST) {
            if (depth == ValueBlockWriter.MAX_LIST_DEPTH) {
                // the writer serializes a list this deep: only a corrupt block nests further, and
                // unbounded nesting would overflow the stack
                throw new StreamCorruptedException("malformed value block: lists nested over "
                        + ValueBlockWriter.MAX_LIST_DEPTH + " deep");
            }
            int size = in.getLength(1); // every element takes at least its tag byte
            ArrayList<Object> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(read(depth + 1));
            }
            return list;
        }
        if (tag != DirectValues.SERIALIZED) {
            return DirectValues.read(tag, in);
        }
        if (objects == null) {
            if (sectionStart == end) {
                throw new StreamCorruptedException("malformed value block: a serialized value without a section");
            }
            objects = Serialization.objectInput(in.array(), sectionStart, end - sectionStart);
        }
        try {
            return objects.readLimited();
        } catch (EOFException cutShort) {
            StreamCorruptedException malformed = new StreamCorruptedException(
                    "malformed value block: the serialized section ends early");
            malformed.initCause(cutShort);
            throw malformed;
        }
    }
}
