package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.connection.BufferTooShortException;
import io.multiprocessing4j.connection.MessageSerializer;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
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
 */
public final class MessageChannel implements Waitable {
    private final FdChannel channel;
    private final boolean readable;
    private final boolean writable;
    private final ReceivedFds receivedFds;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final ReentrantLock receiveLock = new ReentrantLock();

    public MessageChannel(OwnedFd fd, Transport transport, boolean readable, boolean writable) {
        this.channel = new FdChannel(fd, transport);
        this.readable = readable;
        this.writable = writable;
        this.receivedFds = new ReceivedFds(this);
        this.reader = readable ? new FrameReader(channel, receivedFds, this::close) : null;
        this.writer = writable ? new FrameWriter(channel) : null;
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
            Frame frame = reader.next(maxLength, false, deadline, exact);
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
            Frame frame = reader.next(Long.MAX_VALUE, false, FrameReader.NO_DEADLINE, false, buffer, offset);
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

    public Object recv(MessageSerializer serializer, ObjectInputFilter filter)
            throws IOException, ClassNotFoundException {
        checkReadable();
        Frame frame;
        receiveLock.lock();
        try {
            frame = reader.next(Long.MAX_VALUE, true, FrameReader.NO_DEADLINE, false);
            if (frame.sharedBuffer) {
                if (frame.length > 0 && frame.firstByte() != DirectValues.SERIALIZED) {
                    return MessageCodec.decode(frame, serializer, filter);
                }
                frame = Frame.ofArray(frame.toArray(), frame.fds);
            }
        } finally {
            receiveLock.unlock();
        }
        return MessageCodec.decode(frame, serializer, filter);
    }

    /**
     * Whether a receive would find a message (or the end of the stream) without blocking,
     * waiting up to {@code timeoutNanos} (negative: forever) for one.
     */
    public boolean poll(long timeoutNanos) throws IOException {
        checkReadable();
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

    private void checkReadable() {
        if (channel.isClosed()) {
            throw FdChannel.closed();
        }
        if (!readable) {
            throw new IllegalStateException("connection is write-only");
        }
    }

    private void checkWritable() {
        if (channel.isClosed()) {
            throw FdChannel.closed();
        }
        if (!writable) {
            throw new IllegalStateException("connection is read-only");
        }
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            FileDescriptors.close(fd);
        }
    }

    @Override
    public String toString() {
        return channel + (readable && writable ? ", duplex" : readable ? ", read-only" : ", write-only");
    }
}
