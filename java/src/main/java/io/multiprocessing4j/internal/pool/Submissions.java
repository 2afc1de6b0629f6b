package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the public pool calls into jobs and tasks: encodes the function and the arguments in the
 * caller's thread (so a value that cannot be serialized fails the call, before anything is queued),
 * cuts maps into chunks, and queues them. A call returns the job's result cell, or its imap state,
 * which the public pool package wraps in its result types.
 */
public final class Submissions {
    private Submissions() {
    }

    /** Python's default chunksize: the items spread over four chunks per worker, rounded up. */
    public static int defaultChunksize(int items, int processes) {
        if (items == 0) {
            return 0;
        }
        int chunksize = items / (processes * 4);
        return items % (processes * 4) != 0 ? chunksize + 1 : chunksize;
    }

    /** One task: {@code item} holds its arguments (ignored for CALL and RUN). */
    public static <R> ResultCell<R> apply(PoolCore core, Object owner, Object function, CallKind kind, Object item,
                                          Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        FunctionEntry entry = core.acquireFunction(function, kind, kind.arity == 0 ? "the task" : "the function");
        try {
            TaskEncoder encoder = new TaskEncoder(kind, entry.id);
            byte[] record = kind.arity == 0 ? encoder.encodeCall() : encoder.encodeOne(item);
            ApplyJob<R> job = new ApplyJob<>(core, owner, entry, function, callback, errorCallback);
            core.submit(job, List.of(new Task(job, 0, 1, record)), false);
            return job.cell;
        } catch (RuntimeException | Error e) {
            core.abandonFunction(entry);
            throw e;
        }
    }

    /** A map: the items in chunks of {@code chunksize} (0: Python's default). */
    public static <R> ResultCell<List<R>> map(PoolCore core, Object owner, Object function, CallKind kind,
                                              Iterable<?> items, int chunksize, Consumer<? super List<R>> callback,
                                              Consumer<? super Throwable> errorCallback) {
        List<?> list = toList(items);
        int size = chunksize > 0 ? chunksize : defaultChunksize(list.size(), core.processes);
        FunctionEntry entry = core.acquireFunction(function, kind, "the function");
        try {
            int chunks = size == 0 ? 0 : (list.size() + size - 1) / size;
            MapJob<R> job = new MapJob<>(core, owner, entry, chunks, callback, errorCallback);
            core.submit(job, chunk(job, entry, kind, list, size), false);
            return job.cell;
        } catch (RuntimeException | Error e) {
            core.abandonFunction(entry);
            throw e;
        }
    }

    /**
     * An imap. A collection is cut and queued at once; any other iterable is read by a thread of
     * its own (as Python's task handler does), so that the call returns at once and results can
     * be taken while the input is still being produced.
     */
    public static <R> IMapState<R> imap(PoolCore core, Object owner, Object function, CallKind kind, Iterable<?> items,
                                         int chunksize, boolean ordered) {
        FunctionEntry entry = core.acquireFunction(function, kind, "the function");
        IMapJob<R> job;
        try {
            job = new IMapJob<>(core, owner, entry, ordered);
            if (items instanceof Collection) {
                List<?> list = toList(items);
                List<Task> tasks = chunk(job, entry, kind, list, chunksize);
                core.submit(job, tasks, false);
                job.state.setTotal(tasks.size());
                return job.state;
            }
            core.feedingStarted(job);
        } catch (RuntimeException | Error e) {
            core.abandonFunction(entry);
            throw e;
        }
        Iterator<?> input = items.iterator();
        Thread feeder = new Thread(() -> feed(core, job, entry, kind, input, chunksize), core.name + "-imap-feeder");
        feeder.setDaemon(true);
        feeder.start();
        return job.state;
    }

    /** Reads the input of a lazy imap, queuing a task per chunk; an input that throws ends the results there. */
    private static void feed(PoolCore core, IMapJob<?> job, FunctionEntry entry, CallKind kind, Iterator<?> input,
                             int chunksize) {
        int chunks = 0;
        try {
            TaskEncoder encoder = new TaskEncoder(kind, entry.id);
            while (true) {
                List<Object> chunk = new ArrayList<>(chunksize);
                try {
                    while (chunk.size() < chunksize && input.hasNext()) {
                        chunk.add(input.next());
                    }
                } catch (RuntimeException | Error inputFailed) {
                    job.state.deliver(chunks++, Outcome.failure(inputFailed));
                    return;
                }
                if (chunk.isEmpty()) {
                    return;
                }
                Task task;
                try {
                    task = new Task(job, chunks, chunk.size(), encoder.encode(chunk, 0, chunk.size()));
                } catch (RuntimeException notSerializable) {
                    job.state.deliver(chunks++, Outcome.failure(notSerializable));
                    return;
                }
                if (!core.submit(job, List.of(task), true)) {
                    return; // the pool was terminated: the results end here
                }
                chunks++;
            }
        } finally {
            job.state.setTotal(chunks);
            core.feedingDone(job);
        }
    }

    private static List<Task> chunk(Job job, FunctionEntry entry, CallKind kind, List<?> items, int chunksize) {
        TaskEncoder encoder = new TaskEncoder(kind, entry.id);
        List<Task> tasks = new ArrayList<>(chunksize == 0 ? 0 : (items.size() + chunksize - 1) / chunksize);
        for (int from = 0; from < items.size(); from += chunksize) {
            int to = Math.min(items.size(), from + chunksize);
            tasks.add(new Task(job, tasks.size(), to - from, encoder.encode(items, from, to)));
        }
        return tasks;
    }

    private static List<?> toList(Iterable<?> items) {
        if (items instanceof List && items instanceof java.util.RandomAccess) {
            return (List<?>) items;
        }
        List<Object> list = items instanceof Collection ? new ArrayList<>(((Collection<?>) items).size())
                : new ArrayList<>();
        for (Object item : items) {
            list.add(item);
        }
        return list;
    }
}
