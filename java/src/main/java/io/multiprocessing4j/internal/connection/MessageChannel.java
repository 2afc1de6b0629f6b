package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.BufferTooShortException;
import io.multiprocessing4j.serialization.MessageSerializer;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.transfer.DeserializationRules;
import io.multiprocessing4j.internal.transfer.DirectValues;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything a connection does, behind the public {@code Connection}: framed messages over one fd
 * (socket or pipe), in either or both directions.
 *
 * <p>Sends are serialized by the writer's lock, receives by {@link #receiveLock}; the two
 * directions never wait for each other. A received message is decoded while the receive lock is
 * held only when that is cheap and runs no user code (the direct encodings); a serialized payload
 * is detached from the shared buffer and deserialized after the lock is released.
 *
 * <p>A failure inside a frame (an error while its payload is read, a header that cannot be
 * trusted, or any {@link Error} while receiving) leaves the byte stream at an unknown place. The
 * channel is then <em>poisoned</em>: the fd is closed (so the peer sees the end) and every later
 * call throws an {@link IOException} naming that first failure; it never guesses where the next
 * frame starts. A failure after a frame was consumed whole (a value that cannot be decoded, a
 * class the filter rejects) leaves the channel usable. A send that fails in its system call may
 * have sent part of a frame: every later send throws, naming it (what the peer sent before can
 * still be received).
 */
public final class MessageChannel implements Waitable {
    private final FdChannel channel;
    private final boolean readable;
    private final boolean writable;
    private final ReceivedFds receivedFds;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final ReentrantLock receiveLock = new ReentrantLock();
    /** The first failure inside a frame, after which the channel is unusable; null while it is sound. */
    private volatile Throwable poisoned;
    /**
     * The first send that failed in its system call (part of a frame may have left): later sends
     * throw, while what the peer sent before can still be received.
     */
    private volatile Throwable sendFailed;
    private volatile long maxMessageSize = MessageLimits.DEFAULT_MAX_MESSAGE_SIZE;

    public MessageChannel(OwnedFd fd, Transport transport, boolean readable, boolean writable) {
        this.channel = new FdChannel(fd, transport);
        this.readable = readable;
        this.writable = writable;
        this.receivedFds = new ReceivedFds(this);
        this.reader = readable ? new FrameReader(channel, receivedFds) : null;
        this.writer = writable ? new FrameWriter(channel, this::sendBroken) : null;
    }

    /** The largest message payload this channel accepts, in bytes. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative maximum message size " + bytes);
        }
        this.maxMessageSize = bytes;
    }

    /** The failure that made this channel unusable, or null. */
    public Throwable poisonedBy() {
        return poisoned;
    }

    public Transport transport() {
        return channel.transport();
    }

    public boolean isReadable() {
        return readable;
    }

    public boolean isWritable() {
        return writable;
    }

    public boolean isClosed() {
        return channel.isClosed();
    }

    @Override
    public FdChannel fdChannel() {
        return channel;
    }

    @Override
    public boolean readyWithoutWaiting() {
        return readable && reader.bufferedBytes() > 0;
    }

    /** Input read ahead from the fd and not yet received, which would not travel with the fd. */
    public long unreadBytes() {
        return (readable ? reader.bufferedBytes() : 0) + receivedFds.size();
    }

    public void sendBytes(byte[] data, int offset, int length) throws IOException {
        checkWritable();
        writer.sendBytes(data, offset, length);
    }

    public void send(Object value, MessageSerializer serializer) throws IOException {
        checkWritable();
        writer.sendObject(value, serializer);
    }

    /** The next message's payload, which must not exceed {@code maxLength} bytes. */
    public byte[] recvBytes(long maxLength) throws IOException {
        return recvBytes(maxLength, FrameReader.NO_DEADLINE, false);
    }

    /**
     * Like {@link #recvBytes(long)}, but gives up with a {@code SocketTimeoutException} at
     * {@code deadline} ({@link System#nanoTime()}), and reads nothing beyond the message: for
     * protocol exchanges (the authentication handshake) before the connection is handed out.
     */
    public byte[] recvBytesExactly(long maxLength, long deadline) throws IOException {
        return recvBytes(maxLength, deadline, true);
    }

    private byte[] recvBytes(long maxLength, long deadline, boolean exact) throws IOException {
        checkReadable();
        receiveLock.lock();
        try {
            Frame frame = next(maxLength, false, deadline, exact, null, 0);
            closeAll(frame.fds); // a byte message has no use for fds a peer sent with it
            return frame.toArray();
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * Receives a message into {@code buffer} from {@code offset}; returns its length. A message
     * that does not fit is consumed and handed over in a {@link BufferTooShortException}.
     */
    public int recvBytesInto(byte[] buffer, int offset) throws IOException {
        checkReadable();
        receiveLock.lock();
        try {
            Frame frame = next(Long.MAX_VALUE, false, FrameReader.NO_DEADLINE, false, buffer, offset);
            closeAll(frame.fds);
            if (frame.length > buffer.length - offset) {
                throw new BufferTooShortException(frame.toArray(), buffer.length - offset);
            }
            if (frame.array != buffer) {
                System.arraycopy(frame.array, frame.offset, buffer, offset, frame.length);
            }
            return frame.length;
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * The next object message, deserialized under {@code rules} combined with {@code filter}
     * (the connection's own, may be null) and the JVM-wide filter.
     */
    public Object recv(MessageSerializer serializer, ObjectInputFilter filter, DeserializationRules rules)
            throws IOException, ClassNotFoundException {
        checkReadable();
        Frame frame;
        receiveLock.lock();
        try {
            frame = next(Long.MAX_VALUE, true, FrameReader.NO_DEADLINE, false, null, 0);
            if (frame.sharedBuffer) {
                if (frame.length > 0 && frame.firstByte() != DirectValues.SERIALIZED) {
                    return decode(frame, serializer, filter, rules);
                }
                frame = Frame.ofArray(frame.toArray(), frame.fds);
            }
        } catch (Error e) {
            poison(e); // the frame is consumed, but an Error leaves nothing here to trust
            throw e;
        } finally {
            receiveLock.unlock();
        }
        return decode(frame, serializer, filter, rules);
    }

    private Object decode(Frame frame, MessageSerializer serializer, ObjectInputFilter filter,
                          DeserializationRules rules) throws IOException, ClassNotFoundException {
        try {
            return MessageCodec.decode(frame, serializer, filter, rules);
        } catch (Error e) {
            poison(e);
            throw e;
        }
    }

    /**
     * The next frame, within this channel's maximum message size. Any failure that leaves the
     * reader inside the frame poisons the channel; a clean end of stream, a timeout before a
     * header arrived, or a close by this process does not.
     */
    private Frame next(long maxLength, boolean allowHuge, long deadline, boolean exact, byte[] destination,
                       int destinationOffset) throws IOException {
        try {
            return reader.next(Math.min(maxLength, maxMessageSize), allowHuge, deadline, exact, destination,
                    destinationOffset);
        } catch (IOException | RuntimeException | Error e) {
            if (reader.midFrame() || e instanceof Error) {
                poison(e);
            }
            throw e;
        }
    }

    /**
     * Records the first failure inside a frame and closes the fd, unless this process closed it
     * first (then the failure is just the close's wake-up, and the channel reports "closed").
     */
    void poison(Throwable failure) {
        if (channel.isClosed() && poisoned == null) {
            return;
        }
        synchronized (this) {
            if (poisoned == null) {
                poisoned = failure;
            }
        }
        close();
    }

    /**
     * Whether a receive would find a message (or the end of the stream) without blocking,
     * waiting up to {@code timeoutNanos} (negative: forever) for one.
     */
    public boolean poll(long timeoutNanos) throws IOException {
        checkReadable();
        checkSound();
        if (reader.bufferedBytes() > 0) {
            return true;
        }
        boolean mayBlock = timeoutNanos != 0;
        int fd = mayBlock ? channel.beginBlocking() : channel.begin();
        int events;
        try {
            events = ReadinessPoller.awaitReadable(fd, timeoutNanos, true);
        } finally {
            if (mayBlock) {
                channel.endBlocking();
            } else {
                channel.end();
            }
        }
        IOException closed = channel.closedDuringCall();
        if (closed != null) {
            throw closed;
        }
        return events != 0;
    }

    /** Closes the fd and any received fds no message claimed; wakes blocked calls (see {@link FdChannel}). */
    public void close() {
        channel.close();
        receivedFds.closeAll();
    }

    private void checkReadable() throws IOException {
        checkSound();
        if (channel.isClosed()) {
            throw FdChannel.closed();
        }
        if (!readable) {
            throw new IllegalStateException("connection is write-only");
        }
    }

    private void sendBroken(Throwable failure) {
        synchronized (this) {
            if (sendFailed == null) {
                sendFailed = failure;
            }
        }
    }

    /** Throws when an earlier failure inside a frame made the channel unusable, naming it. */
    private void checkSound() throws IOException {
        Throwable first = poisoned;
        if (first != null) {
            throw new IOException("connection is unusable: an earlier failure inside a message left it out of step"
                    + " with the byte stream, so it was closed (first failure: " + first + ")", first);
        }
    }

    private void checkWritable() throws IOException {
        checkSound();
        Throwable failedSend = sendFailed;
        if (failedSend != null) {
            throw new IOException("connection cannot send: an earlier send failed part way through a message"
                    + " (first failure: " + failedSend + ")", failedSend);
        }
        if (channel.isClosed()) {
            throw FdChannel.closed();
        }
        if (!writable) {
            throw new IllegalStateException("connection is read-only");
        }
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            FileDescriptors.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return channel + (readable && writable ? ", duplex" : readable ? ", read-only" : ", write-only");
    }
}
