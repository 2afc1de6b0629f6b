package io.multiprocessing4j.internal.pool;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions of a pool's tasks, each known to the workers by a number, so that a function
 * crosses to a worker once (in a DEFINE record) and not with every task. Functions are recognized
 * by their bytes (and call kind): a lambda submitted again, or another instance of it capturing
 * the same values, reuses its number; one whose captured values changed is a new function.
 *
 * <p>A function no pending task uses is kept for a while (the most recently used
 * {@link #KEEP_UNUSED}), since loops of {@code applyAsync} submit the same one again and again;
 * beyond that the oldest is evicted, and the pool tells the workers that know it to forget it.
 * Guarded by the pool's lock.
 */
final class FunctionTable {
    static final int KEEP_UNUSED = 64;

    private final Map<ByteBuffer, FunctionEntry> byContent = new HashMap<>();
    /** Entries without users, least recently used first. */
    private final LinkedHashMap<Integer, FunctionEntry> unused = new LinkedHashMap<>();
    private int nextId = 1;

    /** The entry for these bytes, one use more. */
    FunctionEntry acquire(byte[] bytes, CallKind kind) {
        byte[] key = new byte[bytes.length + 1];
        key[0] = kind.code;
        System.arraycopy(bytes, 0, key, 1, bytes.length);
        ByteBuffer content = ByteBuffer.wrap(key);
        FunctionEntry entry = byContent.get(content);
        if (entry == null) {
            entry = new FunctionEntry(nextId++, kind, bytes, content);
            byContent.put(content, entry);
        } else if (entry.users == 0) {
            unused.remove(entry.id);
        }
        entry.users++;
        return entry;
    }

    /** One use less; returns the entries evicted to make room, which workers must forget. */
    List<FunctionEntry> release(FunctionEntry entry) {
        if (--entry.users > 0) {
            return List.of();
        }
        unused.put(entry.id, entry);
        if (unused.size() <= KEEP_UNUSED) {
            return List.of();
        }
        List<FunctionEntry> evicted = new ArrayList<>();
        Iterator<FunctionEntry> oldest = unused.values().iterator();
        while (unused.size() > KEEP_UNUSED) {
            FunctionEntry victim = oldest.next();
            oldest.remove();
            byContent.remove(victim.content);
            evicted.add(victim);
        }
        return evicted;
    }

    /** A function with its number, and what the pool learned about the time its items take. */
    static final class FunctionEntry {
        /** Unknown until the first task of the function has been answered. */
        static final long UNKNOWN = -1;

        final int id;
        final CallKind kind;
        final byte[] bytes;
        private final ByteBuffer content;
        private int users;
        /** A moving average of the nanoseconds a worker spends per item; UNKNOWN before any. */
        private long itemNanos = UNKNOWN;

        FunctionEntry(int id, CallKind kind, byte[] bytes, ByteBuffer content) {
            this.id = id;
            this.kind = kind;
            this.bytes = bytes;
            this.content = content;
        }

        /** The estimated time of a task of {@code items} items, or UNKNOWN. */
        long estimate(int items) {
            long perItem = itemNanos;
            return perItem == UNKNOWN ? UNKNOWN : Math.max(1, perItem) * items;
        }

        /** Learns from a task that took {@code nanos} for {@code items} items (weight 1/8: recent tasks count most). */
        void observe(long nanos, int items) {
            long sample = Math.max(0, nanos) / Math.max(1, items);
            itemNanos = itemNanos == UNKNOWN ? sample : itemNanos + (sample - itemNanos) / 8;
        }

        /** The DEFINE record that introduces this function to a worker. */
        void writeDefinition(WireBuffer out) {
            out.putByte(Wire.DEFINE);
            out.putInt(id);
            out.putByte(kind.code);
            out.putInt(bytes.length);
            out.putBytes(bytes, 0, bytes.length);
        }
    }
}
