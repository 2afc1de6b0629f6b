package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.manager.SharedKind;
import io.multiprocessing4j.internal.time.Durations;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code Queue} or {@code JoinableQueue} that lives in a {@link Manager}'s server (Python's
 * {@code m.Queue(maxsize)} and {@code m.JoinableQueue(maxsize)}), also a {@link BlockingQueue}.
 * Unlike the shared-memory {@link io.multiprocessing4j.queues.Queue}, it can travel anywhere a
 * proxy can: in a pool task, a message, or to a process that connected to the manager remotely.
 * Items travel by value, each put and get one round trip; {@code null} is an item like any other
 * (Python's {@code None}), so a {@code null} from {@link #poll()} is ambiguous where nulls are put.
 *
 * <p>Python's {@code get}/{@code put} with {@code block} and {@code timeout} throw {@link Empty}
 * and {@link Full}; the {@code BlockingQueue} methods answer {@code null}/{@code false} instead.
 * A wait uses a connection of the waiting thread's own, so a thread blocked in {@link #get()}
 * never delays other threads' proxy calls. A wait is one request whatever its timeout, and an
 * interrupt ends it at once with an {@link InterruptedException} (the server's wait is
 * cancelled); an item the server handed over as the interrupt came is returned, with the
 * thread's interrupt status set, never lost (as {@code LinkedBlockingQueue.take} does).
 * {@link #iterator()} walks a snapshot and cannot remove.
 */
public final class QueueProxy<E> extends AbstractQueue<E> implements BlockingQueue<E>, Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;

    QueueProxy(ProxyHandle handle) {
        this.handle = handle;
        handle.watch(this);
    }

    /** Whether this is a {@code JoinableQueue} ({@link #taskDone()} and {@link #join()} work). */
    public boolean isJoinable() {
        return handle.kind() == SharedKind.JOINABLE_QUEUE;
    }

    /** Puts {@code item}, waiting as long as it takes for room. */
    @Override
    public void put(E item) throws InterruptedException {
        handle.callWaiting("put", -1, true, item);
    }

    /** Python's {@code put(item, timeout=...)}: throws {@link Full} if there was no room within {@code timeout}. */
    public void put(E item, Duration timeout) throws InterruptedException {
        if (ProxyHandle.timedOut(handle.callWaiting("put", Proxies.nanos(timeout), true, item))) {
            throw new Full();
        }
    }

    /** Python's {@code put_nowait(item)}: throws {@link Full} if there is no room. */
    public void putNowait(E item) {
        if (!offer(item)) {
            throw new Full();
        }
    }

    /** Takes the first item, waiting as long as it takes (Python's {@code get()}). */
    @SuppressWarnings("unchecked")
    public E get() throws InterruptedException {
        return (E) handle.callWaiting("get", -1, true);
    }

    /** Python's {@code get(timeout=...)}: throws {@link Empty} if no item came within {@code timeout}. */
    @SuppressWarnings("unchecked")
    public E get(Duration timeout) throws InterruptedException {
        Object item = handle.callWaiting("get", Proxies.nanos(timeout), true);
        if (ProxyHandle.timedOut(item)) {
            throw new Empty();
        }
        return (E) item;
    }

    /** Python's {@code get_nowait()}: throws {@link Empty} if there is no item. */
    @SuppressWarnings("unchecked")
    public E getNowait() {
        Object item = handle.callWaitingUninterruptibly("get", 0);
        if (ProxyHandle.timedOut(item)) {
            throw new Empty();
        }
        return (E) item;
    }

    @Override
    public boolean offer(E item) {
        return !ProxyHandle.timedOut(handle.callWaitingUninterruptibly("put", 0, item));
    }

    @Override
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        return !ProxyHandle.timedOut(handle.callWaiting("put", Durations.toNanos(timeout, unit), true, item));
    }

    @Override
    public E take() throws InterruptedException {
        return get();
    }

    /** The first item, or {@code null} if there is none now. */
    @Override
    @SuppressWarnings("unchecked")
    public E poll() {
        Object item = handle.callWaitingUninterruptibly("get", 0);
        return ProxyHandle.timedOut(item) ? null : (E) item;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Object item = handle.callWaiting("get", Durations.toNanos(timeout, unit), true);
        return ProxyHandle.timedOut(item) ? null : (E) item;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E peek() {
        return (E) handle.call("peek");
    }

    /** Python's {@code qsize()}. */
    public int qsize() {
        return size();
    }

    @Override
    public int size() {
        return (Integer) handle.call("size");
    }

    @Override
    public boolean isEmpty() {
        return (Boolean) handle.call("isEmpty");
    }

    /** Python's {@code full()}. */
    public boolean isFull() {
        return (Boolean) handle.call("isFull");
    }

    /** Python's {@code maxsize}: 0 for no bound. */
    public int maxsize() {
        return (Integer) handle.call("maxsize");
    }

    @Override
    public int remainingCapacity() {
        return (Integer) handle.call("remainingCapacity");
    }

    @Override
    public int drainTo(Collection<? super E> target) {
        return drainTo(target, Integer.MAX_VALUE);
    }

    /** Moves up to {@code maxElements} items to {@code target}, in one round trip. */
    @Override
    @SuppressWarnings("unchecked")
    public int drainTo(Collection<? super E> target, int maxElements) {
        Objects.requireNonNull(target, "target");
        if (target == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        List<E> drained = (List<E>) handle.call("drain", maxElements);
        target.addAll(drained);
        return drained.size();
    }

    @Override
    public void clear() {
        handle.call("clear");
    }

    /** Walks a snapshot of the items (one round trip); {@code remove} is not supported. */
    @Override
    @SuppressWarnings("unchecked")
    public Iterator<E> iterator() {
        return Collections.unmodifiableList((List<E>) handle.call("copy")).iterator();
    }

    /** Python's {@code JoinableQueue.task_done()}; throws {@link IllegalStateException} if called more times than items were put. */
    public void taskDone() {
        requireJoinable();
        handle.call("taskDone");
    }

    /** Python's {@code JoinableQueue.join()}: waits until every item put has been marked done. */
    public void join() throws InterruptedException {
        requireJoinable();
        handle.callWaiting("join", -1, true);
    }

    /** As {@link #join()}, waiting at most {@code timeout}; false if tasks were still unfinished. */
    public boolean join(Duration timeout) throws InterruptedException {
        requireJoinable();
        return !ProxyHandle.timedOut(handle.callWaiting("join", Proxies.nanos(timeout), true));
    }

    /** The number of items put and not yet marked done. */
    public long unfinishedTasks() {
        return (Long) handle.call("unfinishedTasks");
    }

    private void requireJoinable() {
        if (!isJoinable()) {
            throw new UnsupportedOperationException("'Queue' has no task_done/join: use manager.joinableQueue()");
        }
    }

    /** Gives this proxy's reference back now (idempotent). */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return (String) handle.call("toString");
    }

    private Object writeReplace() {
        return new ProxyToken(handle);
    }
}
