package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.transfer.DirectValues;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;

/**
 * Encodes a sequence of values (a task's arguments, a chunk's items or results) as one block:
 * <pre>
 *   int  offset of the serialized section from the block's start, or -1 if there is none
 *   values, each a tag byte and its bytes: a direct value ({@link DirectValues}), a LIST (its
 *     size, then its elements as values), or SERIALIZED
 *   the serialized section: one Java serialization stream with every value tagged SERIALIZED, in order
 * </pre>
 * Common values (null, boxed primitives, strings, primitive arrays, and ArrayLists of any values)
 * are written directly: an
 * {@code Integer} costs 5 bytes and a few nanoseconds where an {@code ObjectOutputStream} costs
 * about a microsecond and dozens of bytes. All other values of a block share one serialization
 * stream, so a chunk of 10,000 records describes their class once, not 10,000 times.
 *
 * <p>One writer per thread; it keeps its section buffer between blocks.
 */
final class ValueBlockWriter {
    /** Lists nested deeper than this go to the serialized section (no unbounded recursion). */
    static final int MAX_LIST_DEPTH = 32;

    private final WireBuffer section = new WireBuffer(256);
    private WireBuffer out;
    private int blockStart;
    private ObjectOutputStream objects;

    /** Starts a block at the end of {@code out}. */
    void begin(WireBuffer out) {
        this.out = out;
        this.blockStart = out.position();
        out.putInt(-1);
        objects = null;
        section.reset();
    }

    /** Appends one value; throws (e.g. {@link java.io.NotSerializableException}) if it cannot be encoded. */
    void write(Object value) throws IOException {
        write(value, 0);
    }

    private void write(Object value, int depth) throws IOException {
        if (value != null && value.getClass() == ArrayList.class && depth < MAX_LIST_DEPTH) {
            // Python's list, the commonest result after plain values: its elements each in their best form
            Object[] elements = ((ArrayList<?>) value).toArray();
            out.putByte(DirectValues.LIST);
            out.putInt(elements.length);
            for (Object element : elements) {
                write(element, depth + 1);
            }
            return;
        }
        if (!DirectValues.write(value, out)) {
            out.putByte(DirectValues.SERIALIZED);
            if (objects == null) {
                objects = new ObjectOutputStream(section);
            }
            objects.writeObject(value);
        }
    }

    /** Finishes the block: appends the serialized section, if any value needed one. */
    void end() throws IOException {
        if (objects != null) {
            objects.flush();
            out.patchInt(blockStart, out.position() - blockStart);
            out.putBytes(section.array(), 0, section.position());
            objects = null;
        }
        section.reset();
    }

    /** Drops the block begun last (after a value failed to encode), leaving {@code out} as it was before it. */
    void abandon() {
        out.truncate(blockStart);
        objects = null;
        section.reset();
    }
}
