package io.multiprocessing4j.sharedmemory;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A fixed-length list of simple values in a named {@link SharedMemory} block: Python's
 * {@code ShareableList}. Items are {@code Long} (any integral Number), {@code Double}
 * ({@code Float} too), {@code Boolean}, {@code String}, {@code byte[]} or null; reading gives those
 * types back. The length never changes. An item may be replaced by a value of another type, as long
 * as it fits the room the item got at creation: 8 bytes for numbers, booleans and null, and for a
 * string or bytes of n encoded bytes, 8 * (n / 8 + 1) (Python's rule).
 *
 * <p>Like Python's, it does no locking: a reader racing a writer of the same item may see a mix.
 *
 * <p>Layout, so that any process can attach by name: a 16-byte header (magic, count), then per
 * item a 16-byte descriptor (type, room, length of a string or bytes), then the items, each at an
 * 8-byte aligned offset.
 */
public final class ShareableList extends AbstractList<Object> implements RandomAccess, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private static final int MAGIC = 0x4d50344c; // "MP4L"
    private static final int HEADER = 16;
    /** Per item: its type, its room, and the length of a string or bytes in it. */
    private static final int DESCRIPTOR = 16;
    private static final int TYPE = 0;
    private static final int ROOM = 4;
    private static final int LENGTH = 8;
    private static final int NUMBER_ROOM = 8;

    private static final int NULL = 0;
    private static final int LONG_ITEM = 1;
    private static final int DOUBLE_ITEM = 2;
    private static final int BOOLEAN_ITEM = 3;
    private static final int STRING_ITEM = 4;
    private static final int BYTES_ITEM = 5;

    private final SharedMemory memory;
    private final transient ByteBuffer buffer;
    private final transient int[] offsets;
    private final transient int[] rooms;

    private ShareableList(SharedMemory memory) throws IOException {
        this.memory = memory;
        this.buffer = memory.buf().order(ByteOrder.nativeOrder());
        if (buffer.capacity() < HEADER || (int) INT.getVolatile(buffer, 0) != MAGIC) {
            throw new IOException("shared memory '" + memory.name() + "' does not hold a ShareableList");
        }
        int count = (int) INT.getVolatile(buffer, 4);
        long dataStart = dataStart(count);
        if (count < 0 || dataStart > buffer.capacity()) {
            throw new IOException("shared memory '" + memory.name() + "' holds a damaged ShareableList");
        }
        offsets = new int[count];
        rooms = new int[count];
        long offset = dataStart;
        for (int i = 0; i < count; i++) {
            int room = (int) INT.getVolatile(buffer, HEADER + i * DESCRIPTOR + ROOM);
            if (room < NUMBER_ROOM || room % 8 != 0 || offset + room > buffer.capacity()) {
                throw new IOException("shared memory '" + memory.name() + "' holds a damaged ShareableList");
            }
            offsets[i] = (int) offset;
            rooms[i] = room;
            offset += room;
        }
    }

    /** A new list holding {@code values}, in a block with a fresh, unguessable name. */
    public static ShareableList create(List<?> values) throws IOException {
        return create(null, values);
    }

    /** A new list holding {@code values}, in a new block named {@code name} (null: a fresh name). */
    public static ShareableList create(String name, List<?> values) throws IOException {
        Objects.requireNonNull(values, "values");
        int count = values.size();
        int[] rooms = new int[count];
        long size = dataStart(count);
        for (int i = 0; i < count; i++) {
            rooms[i] = roomFor(values.get(i));
            size += rooms[i];
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a ShareableList of " + size + " bytes exceeds 2 GiB");
        }
        SharedMemory memory = name == null ? SharedMemory.create((int) size) : SharedMemory.create(name, (int) size);
        ByteBuffer buffer = memory.buf().order(ByteOrder.nativeOrder());
        INT.setVolatile(buffer, 4, count);
        for (int i = 0; i < count; i++) {
            INT.setVolatile(buffer, HEADER + i * DESCRIPTOR + ROOM, rooms[i]);
        }
        INT.setVolatile(buffer, 0, MAGIC); // last: an attacher sees a complete layout or none
        ShareableList list = new ShareableList(memory);
        for (int i = 0; i < count; i++) {
            list.set(i, values.get(i));
        }
        return list;
    }

    /** Attaches to the list in the block {@code name}. */
    public static ShareableList attach(String name) throws IOException {
        SharedMemory memory = SharedMemory.attach(name);
        try {
            return new ShareableList(memory);
        } catch (IOException | RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    private static long dataStart(int count) {
        return (HEADER + (long) count * DESCRIPTOR + 7) & ~7L;
    }

    private static int roomFor(Object value) {
        byte[] bytes = encoded(value);
        return bytes == null ? NUMBER_ROOM : 8 * (bytes.length / 8 + 1);
    }

    /** The bytes a string or byte array is stored as, or null for the other kinds. */
    private static byte[] encoded(Object value) {
        if (value instanceof String) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value == null || value instanceof Number && isSupportedNumber((Number) value) || value instanceof Boolean) {
            return null;
        }
        throw new IllegalArgumentException("a ShareableList holds integral numbers, Double, Float, Boolean, String,"
                + " byte[] and null, not " + value.getClass().getName());
    }

    private static boolean isSupportedNumber(Number number) {
        return number instanceof Long || number instanceof Integer || number instanceof Short
                || number instanceof Byte || number instanceof Double || number instanceof Float;
    }

    /** The block it lives in (Python's {@code shm}), e.g. to {@link SharedMemory#unlink()} it. */
    public SharedMemory shm() {
        return memory;
    }

    @Override
    public int size() {
        return offsets.length;
    }

    @Override
    public Object get(int index) {
        Objects.checkIndex(index, offsets.length);
        memory.checkOpen();
        int offset = offsets[index];
        switch ((int) INT.getVolatile(buffer, HEADER + index * DESCRIPTOR + TYPE)) {
            case LONG_ITEM:
                return (long) LONG.getVolatile(buffer, offset);
            case DOUBLE_ITEM:
                return Double.longBitsToDouble((long) LONG.getVolatile(buffer, offset));
            case BOOLEAN_ITEM:
                return (long) LONG.getVolatile(buffer, offset) != 0;
            case STRING_ITEM:
                return new String(bytesAt(index), StandardCharsets.UTF_8);
            case BYTES_ITEM:
                return bytesAt(index);
            default:
                return null;
        }
    }

    private byte[] bytesAt(int index) {
        int length = (int) INT.getVolatile(buffer, HEADER + index * DESCRIPTOR + LENGTH);
        byte[] bytes = new byte[Math.max(0, Math.min(length, rooms[index]))];
        buffer.get(offsets[index], bytes);
        return bytes;
    }

    /**
     * Replaces item {@code index}; returns the previous value. A string or bytes longer than the
     * item's room: {@link IllegalArgumentException} ("bytes/str item exceeds available storage").
     */
    @Override
    public Object set(int index, Object value) {
        Objects.checkIndex(index, offsets.length);
        memory.checkOpen();
        byte[] bytes = encoded(value);
        if (bytes != null && bytes.length > rooms[index]) {
            throw new IllegalArgumentException("bytes/str item exceeds available storage: " + bytes.length
                    + " bytes for room of " + rooms[index]);
        }
        Object previous = get(index);
        int offset = offsets[index];
        int type;
        if (bytes != null) {
            buffer.put(offset, bytes);
            INT.setVolatile(buffer, HEADER + index * DESCRIPTOR + LENGTH, bytes.length);
            type = value instanceof String ? STRING_ITEM : BYTES_ITEM;
        } else if (value == null) {
            type = NULL;
        } else if (value instanceof Boolean) {
            LONG.setVolatile(buffer, offset, (Boolean) value ? 1L : 0L);
            type = BOOLEAN_ITEM;
        } else if (value instanceof Double || value instanceof Float) {
            LONG.setVolatile(buffer, offset, Double.doubleToRawLongBits(((Number) value).doubleValue()));
            type = DOUBLE_ITEM;
        } else {
            LONG.setVolatile(buffer, offset, ((Number) value).longValue());
            type = LONG_ITEM;
        }
        INT.setVolatile(buffer, HEADER + index * DESCRIPTOR + TYPE, type);
        return previous;
    }

    /** Ends this process's use of the block ({@code shm().close()}). */
    @Override
    public void close() {
        memory.close();
    }

    @Override
    public String toString() {
        return "ShareableList" + super.toString() + " in " + memory.name();
    }

    private Object readResolve() throws ObjectStreamException {
        try {
            return new ShareableList(memory);
        } catch (IOException e) {
            java.io.InvalidObjectException failure = new java.io.InvalidObjectException(e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }
}
