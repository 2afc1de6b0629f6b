package io.multiprocessing4j.internal.transfer;

import java.io.StreamCorruptedException;
import java.util.Objects;

/**
 * Reads big-endian numbers and slices from a slice of an array. Every read is checked against the
 * slice's end, and every length against what is left, so malformed input is a
 * {@link StreamCorruptedException}: never an exception from deep inside, a read past the slice into
 * a neighbour's bytes, or an allocation sized by a corrupt length.
 *
 * <p>Numbers are put together with shifts, not read through {@link BigEndian}'s VarHandles: a
 * child parses its orders and its target with this class before the target runs, and the first
 * use of a VarHandle (or of {@code DataInputStream}, which reads through them on JDK 21 and later)
 * initializes a dozen classes of java.lang.invoke, about a millisecond of every boot.
 */
public final class ByteCursor {
    private final byte[] array;
    private int position;
    private final int limit;

    public ByteCursor(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        this.array = array;
        this.position = offset;
        this.limit = offset + length;
    }

    /** The whole array (its bytes from {@link #skip}'s result on are those skipped). */
    public byte[] array() {
        return array;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return limit - position;
    }

    public boolean hasRemaining() {
        return position < limit;
    }

    /** Skips {@code count} bytes and returns where they began in {@link #array()}. */
    public int skip(int count) throws StreamCorruptedException {
        require(count);
        int at = position;
        position += count;
        return at;
    }

    public byte getByte() throws StreamCorruptedException {
        require(1);
        return array[position++];
    }

    public boolean getBoolean() throws StreamCorruptedException {
        return getByte() != 0;
    }

    public short getShort() throws StreamCorruptedException {
        int at = skip(2);
        return (short) ((array[at] & 0xff) << 8 | (array[at + 1] & 0xff));
    }

    public int getInt() throws StreamCorruptedException {
        int at = skip(4);
        return (array[at] & 0xff) << 24 | (array[at + 1] & 0xff) << 16 | (array[at + 2] & 0xff) << 8
                | (array[at + 3] & 0xff);
    }

    public long getLong() throws StreamCorruptedException {
        long high = getInt() & 0xffffffffL;
        return high << 32 | (getInt() & 0xffffffffL);
    }

    /** The next {@code count} bytes, copied. */
    public byte[] getBytes(int count) throws StreamCorruptedException {
        int at = skip(count);
        byte[] copy = new byte[count];
        System.arraycopy(array, at, copy, 0, count);
        return copy;
    }

    /** An element count that must fit in what is left, for elements of {@code elementSize} bytes. */
    public int getLength(int elementSize) throws StreamCorruptedException {
        int length = getInt();
        if (length < 0 || (long) length * elementSize > remaining()) {
            throw new StreamCorruptedException("malformed message: a length of " + length + " elements of "
                    + elementSize + " bytes with " + remaining() + " bytes left");
        }
        return length;
    }

    private void require(int count) throws StreamCorruptedException {
        if (count < 0 || limit - position < count) {
            throw new StreamCorruptedException("malformed message: " + count + " more bytes expected, "
                    + (limit - position) + " left");
        }
    }
}
