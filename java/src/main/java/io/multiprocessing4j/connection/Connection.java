package io.multiprocessing4j.connection;

import io.multiprocessing4j.errors.BufferTooShortException;
import io.multiprocessing4j.internal.connection.MessageChannel;
import io.multiprocessing4j.internal.connection.MessageLimits;
import io.multiprocessing4j.internal.connection.Transport;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.time.Durations;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import io.multiprocessing4j.serialization.MessageSerializer;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * One end of a connection between processes (Python's {@code multiprocessing.connection.Connection}):
 * messages of objects or bytes, each delivered whole, in order.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();
 * Connection parent = pipe.first(), child = pipe.second();
 * new ChildProcess(() -> child.send(List.of("Hello", "World"))).start();
 * parent.recv();   // [Hello, World]
 * }</pre>
 *
 * <h2>Messages</h2>
 * Each message is framed with a length prefix exactly as CPython frames it (a 4-byte big-endian
 * length; a longer header for messages over 2 GiB), so {@link #sendBytes}/{@link #recvBytes}
 * interoperate with Python's {@code send_bytes}/{@code recv_bytes}. {@link #send} encodes strings,
 * boxed primitives, {@code null} and primitive arrays directly and everything else with the
 * connection's {@link MessageSerializer} (Java serialization by default); deserialization is bounded
 * by the connection's {@link DeserializationPolicy} (limits; an allow-list where strangers can
 * connect) and passes the JVM-wide and the connection's {@link ObjectInputFilter}.
 *
 * <h2>Threads</h2>
 * A connection may be used by several threads at once: concurrent sends never interleave, and
 * concurrent receives each get whole messages. On a socket (a duplex pipe, a listener's or
 * client's connection), {@link #close()} wakes a thread blocked on the connection: it shuts the
 * socket down, which the peer also sees, as does any other process holding this same socket; the
 * blocked call then throws {@link java.nio.channels.AsynchronousCloseException}. A one-way pipe
 * cannot be shut down: a call blocked on it returns when the other end writes or closes, as in
 * Python. A blocked call does not react to {@link Thread#interrupt()}.
 *
 * <h2>Passing a connection to another process</h2>
 * Capture it in a {@code ChildProcess} target, or send it through another connection (an AF_UNIX
 * one: a duplex {@link Pipe} or a {@link Listener}/{@link Client} connection on a Unix address).
 * The other process receives its own file descriptor for the same channel; this one stays open
 * until closed here, as in Python. A connection that has read ahead input it has not yet delivered
 * refuses to travel, since that input would stay behind.
 *
 * <h2>Errors</h2>
 * Using a closed connection, receiving on a write-only end or sending on a read-only one throws
 * {@link IllegalStateException} with Python's message. The peer's close gives
 * {@link java.io.EOFException} once everything sent before it has been received. A broken or
 * hostile peer (a negative or over-limit length, a truncated frame) gets an {@link IOException}
 * that says so.
 *
 * <p>After a failure <em>inside</em> a message (the bytes stopped coming, a header that cannot be
 * trusted, a message over the {@linkplain #setMaxMessageSize maximum size}, an
 * {@link OutOfMemoryError} or any other {@link Error} while receiving), this process no longer knows
 * where the next message starts: the connection is closed, and every later call throws an
 * {@link IOException} naming that first failure. It never guesses its way back into step. A message
 * that arrived whole but cannot be decoded or is refused by the filter is reported and leaves the
 * connection usable. A send that fails in the system call (the peer went away) makes every later
 * send throw, naming it; what the peer sent before can still be received.
 *
 * <h2>Limits</h2>
 * A received message may be at most {@link #maxMessageSize()} bytes ({@link #DEFAULT_MAX_MESSAGE_SIZE},
 * 1 GiB, unless set); a larger one is refused when its header arrives, without reading it, and
 * the connection is closed as above (draining it would let the peer decide how long we read).
 * Memory for a message is taken as its bytes arrive (at most 1 MiB before any does), not on the
 * word of its header.
 *
 * <p>Input is read ahead into a buffer: a message may already be here when the fd is not readable.
 * So wait with {@link #poll} or {@code Multiprocessing.wait}, not with your own poll on {@link #fileno()}.
 */
public final class Connection implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    /** The largest message a connection receives unless told otherwise: 1 GiB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = MessageLimits.DEFAULT_MAX_MESSAGE_SIZE;

    private static volatile MessageSerializer defaultSerializer = MessageSerializer.javaSerialization();
    private static volatile ObjectInputFilter defaultFilter;

    private final transient MessageChannel channel;
    private transient volatile MessageSerializer serializer;
    private transient volatile ObjectInputFilter filter;
    private transient volatile DeserializationPolicy policy = DeserializationPolicy.trusted();

    Connection(MessageChannel channel) {
        this.channel = channel;
    }

    static Connection open(OwnedFd fd, Transport transport, boolean readable, boolean writable) {
        return new Connection(new MessageChannel(fd, transport, readable, writable));
    }

    MessageChannel channel() {
        return channel;
    }

    /**
     * Sends {@code value} as one message: strings, boxed primitives, {@code null}, {@code byte[]},
     * {@code int[]}, {@code long[]} and {@code double[]} directly, anything else with the
     * connection's serializer. Nothing is sent if serialization fails.
     */
    public void send(Object value) throws IOException {
        channel.send(value, serializer());
    }

    /**
     * Receives the next message sent with {@link #send}, blocking until it is here. Throws
     * {@link java.io.EOFException} when the peer has closed and nothing is left; a message that
     * cannot be deserialized (unknown class, refused by the {@linkplain #deserializationPolicy()
     * policy} or a filter) is consumed and reported as an {@link IOException}, and the connection
     * stays usable. The wait for a message parks the thread
     * (a virtual thread leaves its carrier); {@link Thread#interrupt()} ends it with
     * {@link java.io.InterruptedIOException} (the interrupt status stays set) if no byte of the next
     * message has arrived yet; once one has, the rest is read, so the stream never stops mid-message.
     */
    public Object recv() throws IOException {
        try {
            return channel.recv(serializer(), objectInputFilter(), policy.rules());
        } catch (ClassNotFoundException e) {
            InvalidClassException failure = new InvalidClassException(e.getMessage(),
                    "class not found in this process while receiving a message");
            failure.initCause(e);
            throw failure;
        }
    }

    /** Sends {@code data} as one message of bytes. */
    public void sendBytes(byte[] data) throws IOException {
        channel.sendBytes(data, 0, data.length);
    }

    /** Sends {@code data[offset, offset + size)} as one message of bytes. */
    public void sendBytes(byte[] data, int offset, int size) throws IOException {
        Objects.checkFromIndexSize(offset, size, data.length);
        channel.sendBytes(data, offset, size);
    }

    /** Receives the next message as bytes (a message of any size that fits in an array). */
    public byte[] recvBytes() throws IOException {
        return channel.recvBytes(Long.MAX_VALUE);
    }

    /**
     * Receives the next message as bytes; a message longer than {@code maxLength} is refused with
     * an {@link IOException} ("bad message length") and the connection is closed, as in Python.
     */
    public byte[] recvBytes(int maxLength) throws IOException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative maxLength");
        }
        return channel.recvBytes(maxLength);
    }

    /** Receives the next message into {@code buffer}; see {@link #recvBytesInto(byte[], int)}. */
    public int recvBytesInto(byte[] buffer) throws IOException {
        return recvBytesInto(buffer, 0);
    }

    /**
     * Receives the next message into {@code buffer} from {@code offset} and returns its length. A
     * message longer than the room left throws {@link BufferTooShortException}, which holds it.
     */
    public int recvBytesInto(byte[] buffer, int offset) throws IOException {
        if (offset < 0 || offset > buffer.length) {
            throw new IndexOutOfBoundsException("offset out of bounds: " + offset + " in a buffer of "
                    + buffer.length);
        }
        return channel.recvBytesInto(buffer, offset);
    }

    /** Whether a message (or the end of the stream) is waiting, without blocking. */
    public boolean poll() throws IOException {
        return channel.poll(0);
    }

    /**
     * Waits up to {@code timeout} for a message (or the end of the stream); true if there is one.
     * A negative timeout counts as zero; a timeout too long to count in nanoseconds (such as
     * {@code ChronoUnit.FOREVER.getDuration()}) waits indefinitely, like Python's {@code poll(None)}.
     * An interrupt ends the wait with {@link java.io.InterruptedIOException} (the interrupt status
     * stays set); an interrupted thread gets it at once, whatever the timeout.
     */
    public boolean poll(Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.currentThread().isInterrupted()) {
            throw io.multiprocessing4j.internal.connection.ReadinessPoller.interrupted();
        }
        long nanos = Durations.toNanos(timeout);
        return channel.poll(nanos);
    }

    /** Closes this end (idempotent); see the class comment for threads blocked on it. */
    @Override
    public void close() {
        channel.close();
    }

    /** Python's {@code closed}: whether {@link #close()} was called on this end (in this process). */
    public boolean isClosed() {
        return channel.isClosed();
    }

    /** Python's {@code readable}: false for the sending end of a one-way pipe. */
    public boolean isReadable() {
        return channel.isReadable();
    }

    /** Python's {@code writable}: false for the receiving end of a one-way pipe. */
    public boolean isWritable() {
        return channel.isWritable();
    }

    /**
     * The file descriptor. Valid until {@link #close()}; see the class comment before polling it
     * yourself. A readable socket's receive timeout (SO_RCVTIMEO) is set to one millisecond: a
     * blocking read of your own on it returns EAGAIN after that moment without data.
     */
    public int fileno() {
        if (channel.isClosed()) {
            throw new IllegalStateException("handle is closed");
        }
        return channel.fdChannel().number();
    }

    /**
     * Sets the largest message, in bytes, that this connection receives from now on (a byte
     * message's length, or an object's encoded size). A larger one is refused with an
     * {@link IOException} when its header arrives, and the connection is closed (see the class
     * comment). Raise it for messages over {@link #DEFAULT_MAX_MESSAGE_SIZE}; the setting stays in
     * this process (a connection passed to another process starts there with the default).
     */
    public void setMaxMessageSize(long bytes) {
        channel.setMaxMessageSize(bytes);
    }

    /** The largest message this connection receives, in bytes. */
    public long maxMessageSize() {
        return channel.maxMessageSize();
    }

    /** Uses {@code serializer} for objects sent and received from now on (null: back to the default). */
    public void setSerializer(MessageSerializer serializer) {
        this.serializer = serializer;
    }

    /** The serializer objects go through: this connection's own, else the {@linkplain #defaultSerializer() default}. */
    public MessageSerializer serializer() {
        MessageSerializer own = serializer;
        return own != null ? own : defaultSerializer;
    }

    /**
     * Filters what this connection deserializes from now on (null: back to the default), on top of
     * its {@linkplain #setDeserializationPolicy policy} and of the JVM-wide filter
     * ({@code jdk.serialFilter}): what any of them rejects is refused, and a class this filter
     * explicitly allows passes the policy's allow-list.
     */
    public void setObjectInputFilter(ObjectInputFilter filter) {
        this.filter = filter;
    }

    /** This connection's own filter, else the default set here, else null (the policy and JVM-wide filter only). */
    public ObjectInputFilter objectInputFilter() {
        ObjectInputFilter own = filter;
        return own != null ? own : defaultFilter;
    }

    /**
     * Sets what this connection deserializes from now on: limits, and which classes (see
     * {@link DeserializationPolicy}). A pipe's and an authenticated connection's policy is
     * {@link DeserializationPolicy#trusted()}; an unauthenticated {@link Listener}'s or
     * {@link Client}'s is {@link DeserializationPolicy#strangers()}. The setting stays in this
     * process (a connection passed to another process starts there as a pipe's would).
     */
    public void setDeserializationPolicy(DeserializationPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** What this connection deserializes. */
    public DeserializationPolicy deserializationPolicy() {
        return policy;
    }

    /** The serializer of connections that have none of their own (initially Java serialization). */
    public static void setDefaultSerializer(MessageSerializer serializer) {
        defaultSerializer = Objects.requireNonNull(serializer, "serializer");
    }

    /** The serializer of connections that have none of their own, in this process. */
    public static MessageSerializer defaultSerializer() {
        return defaultSerializer;
    }

    /**
     * The filter of connections that have none of their own; null (the initial value) leaves the
     * policies and the JVM-wide filter in force.
     */
    public static void setDefaultObjectInputFilter(ObjectInputFilter filter) {
        defaultFilter = filter;
    }

    /** The filter of connections that have none of their own, or null (see {@link #setDefaultObjectInputFilter}). */
    public static ObjectInputFilter defaultObjectInputFilter() {
        return defaultFilter;
    }

    @Override
    public String toString() {
        return "Connection[" + channel + "]";
    }

    /**
     * Travels as an index into the fds that accompany the serialized graph; the receiving process
     * gets its own fd for the same channel (see {@link FdTransfer}).
     */
    private Object writeReplace() throws ObjectStreamException {
        if (channel.isClosed()) {
            throw new NotSerializableException("Connection is closed");
        }
        long unread = channel.unreadBytes();
        if (unread > 0) {
            throw new NotSerializableException("Connection has input it read ahead and not yet delivered ("
                    + unread + " bytes or fds); receive it here before passing the connection on");
        }
        int index = FdTransfer.export(channel.fdChannel().ownedFd(), "Connection");
        return new Transferred(index, channel.transport(), channel.isReadable(), channel.isWritable());
    }

    private void readObject(java.io.ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a Connection travels in its transferred form only");
    }

    /** The serialized form of a connection: which transferred fd it is, and how it may be used. */
    private static final class Transferred implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int fdIndex;
        private final Transport transport;
        private final boolean readable;
        private final boolean writable;

        Transferred(int fdIndex, Transport transport, boolean readable, boolean writable) {
            this.fdIndex = fdIndex;
            this.transport = transport;
            this.readable = readable;
            this.writable = writable;
        }

        private Object readResolve() throws ObjectStreamException {
            if (transport == null || !(readable || writable)) {
                throw new InvalidObjectException("a transferred Connection without transport or direction");
            }
            int fd = FdTransfer.claim(fdIndex, "Connection");
            return Connection.open(new OwnedFd(fd), transport, readable, writable);
        }
    }
}
