package io.multiprocessing4j.queues;

import io.multiprocessing4j.internal.queue.Feeder;
import io.multiprocessing4j.internal.queue.MessageCodec;
import io.multiprocessing4j.internal.queue.MessageRing;
import io.multiprocessing4j.internal.queue.OutgoingMessage;
import io.multiprocessing4j.internal.sync.WaitPolicy;
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
 * {@code put} never waits: when the shared buffer is full, the message waits in this process's heap
 * and a background thread moves it in as consumers make room (Python's feeder thread). A process
 * that ends normally first waits until such messages are in the queue, as Python's does, unless
 * {@link #cancelJoinThread()} was called. With a positive {@code maxsize}, {@code put} waits while
 * {@code maxsize} messages are queued (or while the shared buffer has no room for the message),
 * and {@code put(item, false, ...)} or an expired timeout throws {@link Full}.
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
    /** Unbounded queues only: where this process's puts wait when the ring is full. */
    private final transient Feeder feeder;
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
        this(MessageRing.create(bufferBytes, Math.max(0, maxsize), "Queue"));
    }

    Queue(MessageRing ring) {
        this.ring = ring;
        this.feeder = ring.maxsize() == 0 ? new Feeder(ring, "a " + getClass().getSimpleName()) : null;
    }

    // ------------------------------------------------------------------------- Python's API

    /**
     * Puts {@code item}, waiting for room as long as it takes (on an unbounded queue, never).
     *
     * @throws IllegalArgumentException if {@code item} cannot be serialized
     * @throws InterruptedException if interrupted while waiting for room
     */
    @Override
    public void put(E item) throws InterruptedException {
        putMessage(item, -1);
    }

    /**
     * Python's {@code put(obj, timeout=...)}: waits at most {@code timeout} for room.
     *
     * @throws Full if there was no room within the timeout
     */
    public void put(E item, Duration timeout) throws InterruptedException {
        putMessage(item, WaitPolicy.timeoutNanos(timeout));
    }

    /**
     * Python's {@code put(obj, block, timeout)}: with {@code block} false, {@link #putNowait};
     * otherwise waits at most {@code timeout} ({@code null}: as long as it takes).
     */
    public void put(E item, boolean block, Duration timeout) throws InterruptedException {
        putMessage(item, !block ? 0 : timeout == null ? -1 : WaitPolicy.timeoutNanos(timeout));
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

    /** Takes the oldest message, waiting for one as long as it takes. */
    public E get() throws InterruptedException {
        checkOpen();
        return decode(ring.take(-1, true));
    }

    /**
     * Python's {@code get(timeout=...)}: waits at most {@code timeout} for a message.
     *
     * @throws Empty if none came within the timeout
     */
    public E get(Duration timeout) throws InterruptedException {
        return getMessage(WaitPolicy.timeoutNanos(timeout));
    }

    /**
     * Python's {@code get(block, timeout)}: with {@code block} false, {@link #getNowait};
     * otherwise waits at most {@code timeout} ({@code null}: as long as it takes).
     */
    public E get(boolean block, Duration timeout) throws InterruptedException {
        return getMessage(!block ? 0 : timeout == null ? -1 : WaitPolicy.timeoutNanos(timeout));
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
     * Python's {@code qsize()}: the number of messages in the queue at some recent instant. Other
     * processes change it at any time, so it is a hint. Messages this process put that still wait
     * in its local buffer (see the class comment) are not counted.
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
     * Python's {@code close()}: this process will put and get no more. Messages it put that still
     * wait in its local buffer are moved into the queue in the background, and then its hold on
     * the shared memory ends. Other processes go on using the queue. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (feeder != null) {
            feeder.whenFlushed(ring.segment()::close);
        } else {
            ring.segment().close();
        }
    }

    /**
     * Python's {@code join_thread()}: after {@link #close()}, waits until every message this process
     * put is in the queue (none may still be in its local buffer). Returns at once after
     * {@link #cancelJoinThread()}.
     *
     * @throws IllegalStateException if the queue is not closed
     */
    public void joinThread() throws InterruptedException {
        if (!closed) {
            throw new IllegalStateException("joinThread() requires close() first: Queue " + this + " is not closed");
        }
        if (feeder != null && !feeder.isJoinCancelled()) {
            feeder.awaitFlushed(Long.MAX_VALUE);
        }
    }

    /**
     * Python's {@code cancel_join_thread()}: this process will not wait at exit, nor in
     * {@link #joinThread()}, for messages it put that are still in its local buffer; they are lost
     * if it exits first.
     */
    public void cancelJoinThread() {
        if (feeder != null) {
            feeder.cancelJoin();
        }
    }

    // ------------------------------------------------------------------------- BlockingQueue

    /** Puts {@code item} if there is room now (always, on an unbounded queue); false if not. */
    @Override
    public boolean offer(E item) {
        try {
            return offerMessage(item, 0);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an offer that does not wait was interrupted", impossible);
        }
    }

    @Override
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        return offerMessage(item, Math.max(0, unit.toNanos(timeout)));
    }

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

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        checkOpen();
        byte[] message = ring.take(Math.max(0, unit.toNanos(timeout)), true);
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
            throw new Full();
        }
    }

    private boolean offerMessage(E item, long timeoutNanos) throws InterruptedException {
        checkOpen();
        OutgoingMessage message = OutgoingMessage.of(item);
        ring.checkDeliverable(message);
        taskAdded();
        boolean put = false;
        try {
            if (feeder != null) {
                feeder.put(message);
                put = true;
            } else {
                put = ring.put(message, timeoutNanos, true);
            }
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
