package io.multiprocessing4j.queues;

import io.multiprocessing4j.internal.queue.MessageCodec;
import io.multiprocessing4j.internal.queue.MessageRing;
import io.multiprocessing4j.internal.queue.OutgoingMessage;
import io.multiprocessing4j.internal.time.Durations;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A FIFO queue shared by any number of producer and consumer processes: Python's
 * {@code multiprocessing.Queue}, and a {@link BlockingQueue}.
 *
 * <pre>{@code
 * Queue<Integer> queue = new Queue<>();
 * new ChildProcess(() -> produce(queue)).start();    // the child puts into the same queue
 * Integer item = queue.get();                        // waits for one
 * }</pre>
 *
 * <p>Every message put is delivered exactly once, to exactly one consumer; the messages of one
 * producer arrive in the order it put them. A message is serialized in the calling thread during
 * {@code put}: something that cannot be serialized fails there with an
 * {@link IllegalArgumentException}, and changing the object afterwards does not change what is
 * delivered. Null, boxed primitives, strings and {@code byte[]} have compact encodings of their
 * own; anything else takes Java serialization. {@code null} is a message like any other (Python's
 * {@code None} sentinel), so a {@code null} from {@link #poll()} is ambiguous where nulls are put:
 * {@link #get} and {@link #getNowait} tell an empty queue by throwing {@link Empty}.
 *
 * <p>With {@code maxsize} 0 (the default; Python's {@code maxsize <= 0}) the queue is unbounded and
 * {@code put} does not wait for consumers (beyond 5 ms): when the shared buffer stays full that
 * long, the queue grows by further shared memory segments (chunks of the buffer's size, in
 * /dev/shm, each removed once its messages are taken), and later puts go on in them at once. Unlike Python's, which keeps such messages in the producer's heap for a
 * background thread to feed in, what a {@code put} has put is in shared memory when it returns:
 * every process sees it at once ({@link #size()}, {@link #poll()}, {@link #drainTo}), no process
 * waits at exit for messages to leave its heap, and a process may end, or be killed, right after a
 * put without losing it. The only limit is /dev/shm: the queue grows only while a quarter of /dev/shm
 * (at most 256 MiB) would stay free for everything else. Without that room, {@code put} waits
 * for it (as long as it takes, or its timeout, then {@link Full}), and {@code offer}, {@code add} and
 * {@code putNowait} fail at once ({@code false}, {@link IllegalStateException}, {@link Full}), saying
 * so; a message is never dropped nor kept aside. Chunks still holding messages when every process
 * has dropped the queue stay in /dev/shm until the process tree ends, when the resource tracker
 * removes them. With a positive {@code maxsize}, {@code put} waits
 * while {@code maxsize} messages are queued (or while the shared buffer has no room for the
 * message), and {@code put(item, false, ...)} or an expired timeout throws {@link Full}.
 *
 * <p>Timeouts: a negative timeout means zero (as in Python). Every method that declares
 * {@link InterruptedException} throws it at once when called with the thread's interrupt status
 * set, whatever the timeout (zero included) and whether or not it would have had to wait, as
 * {@link java.util.concurrent.LinkedBlockingQueue} does.
 *
 * <p>Hand a queue to a child process by capturing it in the child's target. {@link #close()} ends
 * this process's use of it; any other method then throws {@link IllegalStateException}.
 *
 * <p>Beyond Python: a producer or consumer killed at any point, even in the middle of a put or a
 * get, does not corrupt the queue for the others (a message a killed consumer had already taken is
 * gone with it). Messages of any size work: one larger than a quarter of the shared buffer travels
 * in a segment of its own in /dev/shm, which its taker removes. Such messages never fill /dev/shm:
 * producers hold them back (as for a full queue) while a quarter of it would not stay free, and one
 * larger than /dev/shm itself fails at the put.
 *
 * <p>The {@link BlockingQueue} methods that cannot be honest about a queue other processes change
 * under them ({@link #iterator()}, {@link #peek()}, {@link #contains}, {@link #remove(Object)},
 * {@link #toArray()}, ...) throw {@link UnsupportedOperationException}.
 *
 * @param <E> the type of the messages
 */
public class Queue<E> extends AbstractQueue<E> implements BlockingQueue<E>, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    final transient MessageRing ring;
    private transient volatile boolean closed;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /** A queue holding at most {@code maxsize} messages; 0 or less: unbounded (as Python's). */
    public Queue(int maxsize) {
        this(maxsize, MessageRing.DEFAULT_CAPACITY);
    }

    /**
     * A queue holding at most {@code maxsize} messages (0 or less: unbounded), whose shared buffer
     * has {@code bufferBytes} bytes (a power of two, 4 KiB to 1 GiB; 256 KiB by default). The
     * buffer is reserved in /dev/shm for the queue's life. A message larger than a quarter of it
     * travels outside it.
     */
    public Queue(int maxsize, int bufferBytes) {
        this(MessageRing.create(bufferBytes, Math.max(0, maxsize), "Queue", maxsize <= 0));
    }

    Queue(MessageRing ring) {
        this.ring = ring;
    }

    // ------------------------------------------------------------------------- Python's API

    /**
     * Puts {@code item}, waiting for room as long as it takes (on an unbounded queue, only for room
     * in /dev/shm, see the class comment).
     *
     * @throws IllegalArgumentException if {@code item} cannot be serialized
     * @throws InterruptedException if interrupted on entry or while waiting for room
     */
    @Override
    public void put(E item) throws InterruptedException {
        checkInterrupt();
        putMessage(item, -1);
    }

    /**
     * Python's {@code put(obj, timeout=...)}: waits at most {@code timeout} (negative: zero) for room.
     *
     * @throws Full if there was no room within the timeout
     * @throws InterruptedException if interrupted on entry or while waiting for room
     */
    public void put(E item, Duration timeout) throws InterruptedException {
        checkInterrupt();
        putMessage(item, timeoutNanos(timeout));
    }

    /**
     * Python's {@code put(obj, block, timeout)}: with {@code block} false, {@link #putNowait};
     * otherwise waits at most {@code timeout} ({@code null}: as long as it takes; negative: zero).
     *
     * @throws Full if there was no room (within the timeout)
     * @throws InterruptedException if interrupted on entry or while waiting for room
     */
    public void put(E item, boolean block, Duration timeout) throws InterruptedException {
        checkInterrupt();
        putMessage(item, !block ? 0 : timeout == null ? -1 : timeoutNanos(timeout));
    }

    /**
     * Python's {@code put_nowait(obj)}: puts {@code item} only if there is room now.
     *
     * @throws Full if there is none
     */
    public void putNowait(E item) {
        try {
            putMessage(item, 0);
        } catch (InterruptedException impossible) {
            throw new AssertionError("a put that does not wait was interrupted", impossible);
        }
    }

    /**
     * Takes the oldest message, waiting for one as long as it takes.
     *
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    public E get() throws InterruptedException {
        checkOpen();
        checkInterrupt();
        return decode(ring.take(-1, true));
    }

    /**
     * Python's {@code get(timeout=...)}: waits at most {@code timeout} (negative: zero) for a message.
     *
     * @throws Empty if none came within the timeout
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    public E get(Duration timeout) throws InterruptedException {
        return getMessage(timeoutNanos(timeout));
    }

    /**
     * Python's {@code get(block, timeout)}: with {@code block} false, {@link #getNowait};
     * otherwise waits at most {@code timeout} ({@code null}: as long as it takes; negative: zero).
     *
     * @throws Empty if there was no message (within the timeout)
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    public E get(boolean block, Duration timeout) throws InterruptedException {
        return getMessage(!block ? 0 : timeout == null ? -1 : timeoutNanos(timeout));
    }

    /**
     * Python's {@code get_nowait()}: takes the oldest message if there is one now.
     *
     * @throws Empty if there is none
     */
    public E getNowait() {
        checkOpen();
        byte[] message = ring.tryTake();
        if (message == null) {
            throw new Empty();
        }
        return decode(message);
    }

    /**
     * Python's {@code qsize()}: the number of messages in the queue at some recent instant, counted
     * in shared memory: every message whose put has returned, in any process, and not yet taken.
     * Exact while no process puts or takes; otherwise other processes change it at any time.
     */
    public int qsize() {
        checkOpen();
        return ring.size();
    }

    /** Python's {@code empty()}: whether the queue held no message at some recent instant. */
    @Override
    public boolean isEmpty() {
        checkOpen();
        return ring.isEmpty();
    }

    /** Python's {@code full()}: whether the queue held {@code maxsize} messages at some recent instant. */
    public boolean isFull() {
        checkOpen();
        return ring.isFull();
    }

    /** The bound given at creation; 0 for an unbounded queue. */
    public int maxsize() {
        return ring.maxsize();
    }

    /**
     * Python's {@code close()}: this process will put and get no more, and its hold on the shared
     * memory ends. Every message it put is in the queue already. Other processes go on using the
     * queue. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ring.releaseChunks();
        ring.segment().close();
        ring.releaseLocalWaiters();
    }

    /**
     * Python's {@code join_thread()}: after {@link #close()}, waits until every message this process
     * put is in the queue, which it is as soon as each put returns (there is no feeder thread), so
     * this returns at once.
     *
     * @throws IllegalStateException if the queue is not closed
     */
    public void joinThread() throws InterruptedException {
        if (!closed) {
            throw new IllegalStateException("joinThread() requires close() first: Queue " + this + " is not closed");
        }
    }

    /**
     * Python's {@code cancel_join_thread()}: a process need not wait at exit for messages it put,
     * since they are in shared memory when each put returns; kept for Python's API, it changes
     * nothing.
     */
    public void cancelJoinThread() {
    }

    // ------------------------------------------------------------------------- BlockingQueue

    /**
     * Puts {@code item} if there is room now (on an unbounded queue: unless /dev/shm has no room for
     * the queue to grow); false if not.
     */
    @Override
    public boolean offer(E item) {
        try {
            return offerMessage(item, 0);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an offer that does not wait was interrupted", impossible);
        }
    }

    /**
     * {@link #offer(Object)}, or {@link IllegalStateException} saying why there is no room.
     */
    @Override
    public boolean add(E item) {
        if (!offer(item)) {
            throw new IllegalStateException(noRoom());
        }
        return true;
    }

    /**
     * Puts {@code item}, waiting at most {@code timeout} (negative: zero) for room; false if there
     * was none within it.
     *
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    @Override
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        checkInterrupt();
        return offerMessage(item, Durations.toNanos(timeout, unit));
    }

    /** {@link #get()}. */
    @Override
    public E take() throws InterruptedException {
        return get();
    }

    /** Takes the oldest message if there is one now; null if not (or if the message is a null). */
    @Override
    public E poll() {
        checkOpen();
        byte[] message = ring.tryTake();
        return message == null ? null : decode(message);
    }

    /**
     * Takes the oldest message, waiting at most {@code timeout} (negative: zero) for one; null if
     * none came (or if the message is a null).
     *
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        checkOpen();
        checkInterrupt();
        byte[] message = ring.take(Durations.toNanos(timeout, unit), true);
        return message == null ? null : decode(message);
    }

    /** Takes the oldest message if there is one now; {@link NoSuchElementException} if not. */
    @Override
    public E remove() {
        try {
            return getNowait();
        } catch (Empty e) {
            throw new NoSuchElementException("the queue is empty");
        }
    }

    @Override
    public int remainingCapacity() {
        checkOpen();
        return ring.maxsize() == 0 ? Integer.MAX_VALUE : Math.max(0, ring.maxsize() - ring.size());
    }

    @Override
    public int drainTo(Collection<? super E> target) {
        return drainTo(target, Integer.MAX_VALUE);
    }

    /** Takes up to {@code maxElements} messages that are in the queue now into {@code target}. */
    @Override
    public int drainTo(Collection<? super E> target, int maxElements) {
        Objects.requireNonNull(target, "target");
        if (target == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        checkOpen();
        int drained = 0;
        while (drained < maxElements) {
            byte[] message = ring.tryTake();
            if (message == null) {
                break;
            }
            target.add(decode(message));
            drained++;
        }
        return drained;
    }

    /** {@link #qsize()}. */
    @Override
    public int size() {
        return qsize();
    }

    /** Removes every message in the queue at this instant, at once. */
    @Override
    public void clear() {
        checkOpen();
        ring.clear();
    }

    /** Unsupported: the head may be taken by another process the moment after it was looked at. */
    @Override
    public E peek() {
        throw unsupported("peek()");
    }

    @Override
    public E element() {
        throw unsupported("element()");
    }

    @Override
    public Iterator<E> iterator() {
        throw unsupported("iteration");
    }

    @Override
    public boolean contains(Object o) {
        throw unsupported("contains()");
    }

    @Override
    public boolean remove(Object o) {
        throw unsupported("remove(Object)");
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        throw unsupported("removeAll()");
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        throw unsupported("retainAll()");
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        throw unsupported("removeIf()");
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        throw unsupported("containsAll()");
    }

    @Override
    public Object[] toArray() {
        throw unsupported("toArray()");
    }

    @Override
    public <T> T[] toArray(T[] a) {
        throw unsupported("toArray()");
    }

    @Override
    public String toString() {
        if (closed) {
            return getClass().getSimpleName() + "[closed]";
        }
        return getClass().getSimpleName() + "[" + (ring.maxsize() > 0 ? "maxsize=" + ring.maxsize() + ", " : "")
                + "qsize=" + ring.size() + "]";
    }

    // ------------------------------------------------------------------------- for subclasses and internals

    /** Called before a message is handed on: JoinableQueue counts a task. */
    void taskAdded() {
    }

    /** Called when a put counted by {@link #taskAdded()} did not happen. */
    void tasksWithdrawn(long count) {
    }

    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
    }

    /** Puts {@code item}, waiting at most {@code timeoutNanos} (negative: no limit); {@link Full} if it could not. */
    private void putMessage(E item, long timeoutNanos) throws InterruptedException {
        if (!offerMessage(item, timeoutNanos)) {
            throw new Full(noRoom());
        }
    }

    /** Why a put found no room. */
    private String noRoom() {
        if (ring.shortOfSharedMemory()) {
            return "the queue cannot grow: /dev/shm has no room to spare for it (a quarter of it, at most 256 MiB,"
                    + " stays free for everything else); nothing was put";
        }
        return ring.maxsize() > 0 ? "the queue is full (maxsize " + ring.maxsize() + ")"
                : "no room in /dev/shm for the message; nothing was put";
    }

    /** A timeout argument: a negative one means zero, as in Python. */
    static long timeoutNanos(Duration timeout) {
        return Durations.toNanos(timeout);
    }

    /** A call that declares InterruptedException throws it on entry when the thread is interrupted. */
    static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private boolean offerMessage(E item, long timeoutNanos) throws InterruptedException {
        checkOpen();
        OutgoingMessage message = OutgoingMessage.of(item);
        ring.checkDeliverable(message);
        taskAdded();
        boolean put = false;
        try {
            put = ring.put(message, timeoutNanos, true);
            return put;
        } finally {
            if (!put) {
                message.abandon();
                tasksWithdrawn(1);
            }
        }
    }

    private E getMessage(long timeoutNanos) throws InterruptedException {
        checkOpen();
        checkInterrupt();
        byte[] message = ring.take(timeoutNanos, true);
        if (message == null) {
            throw new Empty();
        }
        return decode(message);
    }

    @SuppressWarnings("unchecked")
    private E decode(byte[] message) {
        return (E) MessageCodec.decode(message);
    }

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported by a " + getClass().getSimpleName()
                + ": other processes change it at any moment. Take messages with get(), poll() or drainTo()");
    }

    // ------------------------------------------------------------------------- travelling to a child

    /** A queue travels as a reference to its shared memory (the segment's fd) and is re-attached there. */
    Object writeReplace() throws ObjectStreamException {
        if (closed) {
            throw new NotSerializableException(getClass().getSimpleName() + " is closed");
        }
        return new SerializedQueue(ring.segment(), this instanceof JoinableQueue ? SerializedQueue.JOINABLE
                : SerializedQueue.QUEUE);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a Queue travels as a reference to its shared memory");
    }
}
