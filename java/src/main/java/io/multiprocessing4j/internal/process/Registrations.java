package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.nativ.ShmDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The segments one process has registered with its resource tracker and not unregistered, so that
 * a tracker started after the previous one died learns of them all (see {@link ResourceTracker}).
 *
 * <p>A name is often unregistered by another process than the one that registered it (a queue's
 * consumer unlinks the overflow chunk its producer made), so entries whose segment has left
 * /dev/shm are pruned whenever the table has doubled since the last pruning: the table stays
 * proportional to what is really outstanding, at a constant amortized cost per registration. A
 * name is registered before its segment is created, so an entry is only pruned once it has been
 * through a pruning already: one created since the last is young, not gone.
 * Not thread-safe: {@link ResourceTracker} calls it under its lock.
 */
final class Registrations {
    private static final int FIRST_PRUNING = 1024;

    private static final class Entry {
        final ResourceTracker.Kind kind;
        int count;
        boolean young = true;

        Entry(ResourceTracker.Kind kind) {
            this.kind = kind;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private int pruneAt = FIRST_PRUNING;

    void add(ResourceTracker.Kind kind, String name) {
        entries.computeIfAbsent(name, key -> new Entry(kind)).count++;
        if (entries.size() >= pruneAt) {
            pruneGone();
            pruneAt = Math.max(FIRST_PRUNING, 2 * entries.size());
        }
    }

    void remove(ResourceTracker.Kind kind, String name) {
        Entry entry = entries.get(name);
        if (entry != null && entry.kind == kind && --entry.count == 0) {
            entries.remove(name);
        }
    }

    /** Each registration, as often as it was made (a name whose segment is gone is harmless). */
    void forEach(BiConsumer<ResourceTracker.Kind, String> action) {
        for (Map.Entry<String, Entry> entry : entries.entrySet()) {
            for (int i = 0; i < entry.getValue().count; i++) {
                action.accept(entry.getValue().kind, entry.getKey());
            }
        }
    }

    int size() {
        return entries.size();
    }

    private void pruneGone() {
        for (Iterator<Map.Entry<String, Entry>> all = entries.entrySet().iterator(); all.hasNext(); ) {
            Map.Entry<String, Entry> entry = all.next();
            if (entry.getValue().young) {
                entry.getValue().young = false;
            } else if (!Files.exists(Path.of(ShmDirectory.path(), entry.getKey().substring(1)))) {
                all.remove();
            }
        }
    }
}
