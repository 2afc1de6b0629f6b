package io.multiprocessing4j.internal.manager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A manager's {@code Queue} or {@code JoinableQueue}: a FIFO of any values ({@code null}
 * included, as Python's {@code None}), bounded by {@code maxsize} unless it is 0, with the count
 * of unfinished tasks that {@code taskDone} and {@code join} use.
 */
final class ServerQueue implements ServerObject {
    private final int maxsize;
    private final ArrayDeque<Object[]> items = new ArrayDeque<>(); // boxed, as ArrayDeque refuses null
    private long unfinished;

    ServerQueue(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must not be negative: " + maxsize);
        }
        this.maxsize = maxsize;
    }

    @Override
    public synchronized Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "put": {
                long deadline = Waits.deadlineOf(args);
                while (isFull()) {
                    if (!Waits.waitUntil(this, deadline, caller)) {
                        return Pending.NOT_YET;
                    }
                }
                items.add(new Object[] {args[1]});
                unfinished++;
                notifyAll();
                return Boolean.TRUE;
            }
            case "get": {
                long deadline = Waits.deadlineOf(args);
                while (items.isEmpty()) {
                    if (!Waits.waitUntil(this, deadline, caller)) {
                        return Pending.NOT_YET;
                    }
                }
                Object item = items.poll()[0];
                notifyAll();
                return item;
            }
            case "join": {
                long deadline = Waits.deadlineOf(args);
                while (unfinished > 0) {
                    if (!Waits.waitUntil(this, deadline, caller)) {
                        return Pending.NOT_YET;
                    }
                }
                return Boolean.TRUE;
            }
            case "taskDone":
                if (unfinished == 0) {
                    throw new IllegalStateException("task_done() called too many times");
                }
                if (--unfinished == 0) {
                    notifyAll();
                }
                return null;
            case "unfinishedTasks": return unfinished;
            case "size": return items.size();
            case "isEmpty": return items.isEmpty();
            case "isFull": return isFull();
            case "maxsize": return maxsize;
            case "remainingCapacity": return maxsize == 0 ? Integer.MAX_VALUE : maxsize - items.size();
            case "peek": return items.isEmpty() ? null : items.peek()[0];
            case "drain": {
                int max = (Integer) args[0];
                List<Object> drained = new ArrayList<>();
                while (drained.size() < max && !items.isEmpty()) {
                    drained.add(items.poll()[0]);
                }
                notifyAll();
                return drained;
            }
            case "copy": return snapshot();
            case "clear": items.clear(); notifyAll(); return null;
            case "toString": return "Queue" + snapshot();
            default: throw SharedKind.unknown(operation);
        }
    }

    private boolean isFull() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    private List<Object> snapshot() {
        List<Object> all = new ArrayList<>(items.size());
        for (Object[] box : items) {
            all.add(box[0]);
        }
        return all;
    }
}
