package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.synchronize.ProcessLock;
import java.util.Objects;

/**
 * A fixed-length array in shared memory (Python's {@code Array}), its elements packed in native
 * byte order. Indexes out of range throw {@link IndexOutOfBoundsException}.
 */
public abstract sealed class SharedArray extends SharedCtype
        permits SharedByteArray, SharedShortArray, SharedIntArray, SharedLongArray, SharedFloatArray,
        SharedDoubleArray {
    private static final long serialVersionUID = 1L;

    private final int length;

    SharedArray(Segment segment, ProcessLock lock, int length) {
        super(segment, lock);
        this.length = length;
    }

    /** A segment for {@code length} elements of {@code width} bytes. */
    static Segment newSegment(int length, int width, String what) {
        if (length < 0) {
            throw new IllegalArgumentException("array length must not be negative: " + length);
        }
        if (length > Integer.MAX_VALUE / width) {
            throw new IllegalArgumentException("array of " + length + " elements of " + width
                    + " bytes exceeds 2 GiB");
        }
        return Segment.createAnonymous(Math.max(8, length * width), what);
    }

    /** The number of elements. */
    public final int length() {
        return length;
    }

    /** Checks that the array is open and {@code index} in range; returns it. */
    final int checkIndex(int index) {
        segment.checkOpen();
        return Objects.checkIndex(index, length);
    }

    /** Checks a range of the array, and a range of a Java array for a bulk copy. */
    final void checkRanges(int index, int javaArrayLength, int offset, int count) {
        segment.checkOpen();
        Objects.checkFromIndexSize(index, count, length);
        Objects.checkFromIndexSize(offset, count, javaArrayLength);
    }

    /** Checks {@code [from, to)} and returns its size. */
    final int checkRange(int from, int to) {
        segment.checkOpen();
        Objects.checkFromToIndex(from, to, length);
        return to - from;
    }
}
