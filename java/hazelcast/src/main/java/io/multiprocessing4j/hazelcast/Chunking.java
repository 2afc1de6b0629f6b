package io.multiprocessing4j.hazelcast;

import io.multiprocessing4j.hazelcast.internal.BatchTask;
import io.multiprocessing4j.hazelcast.internal.BatchTask.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How a cluster pool cuts its input into chunks, as the local pool does (Python's rules). */
final class Chunking {
    private Chunking() {
    }

    /** Python's default chunksize: the items spread over four chunks per process, rounded up. */
    static int defaultChunksize(int items, int processes) {
        if (items == 0) {
            return 1;
        }
        int chunksize = items / (processes * 4);
        return items % (processes * 4) != 0 ? chunksize + 1 : chunksize;
    }

    static List<Object> toList(Kind kind, Iterable<?> items) {
        Objects.requireNonNull(items, "items");
        List<Object> list = new ArrayList<>(items instanceof Collection ? ((Collection<?>) items).size() : 16);
        for (Object item : items) {
            if (kind == Kind.APPLY2) {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) item;
                list.add(new Object[] {entry.getKey(), entry.getValue()}); // Map.entry() is not serializable
            } else if (kind == Kind.STAR) {
                list.add(new ArrayList<>((List<?>) Objects.requireNonNull(item, "argument list")));
            } else {
                list.add(item);
            }
        }
        return list;
    }

    /** Cuts the items into chunks, encoded now: an item that cannot be serialized is refused here, in the caller. */
    static int[] chunk(List<Object> items, int chunksize, List<byte[]> chunks) {
        int count = (items.size() + chunksize - 1) / chunksize;
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            int from = i * chunksize;
            int to = Math.min(items.size(), from + chunksize);
            chunks.add(BatchTask.encodeItems(items.subList(from, to)));
            sizes[i] = to - from;
        }
        return sizes;
    }

    static int checkChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
        }
        return chunksize;
    }

}
