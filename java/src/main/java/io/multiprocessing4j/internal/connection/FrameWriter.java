package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.serialization.MessageSerializer;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.sync.VirtualThreads;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames to a connection's fd. One lock per connection covers encoding and writing a
 * message, so messages sent from several threads never interleave; a message leaves in one native
 * call (header and payload together) unless it is larger than one Java array.
 */
final class FrameWriter {
    /**
     * From this payload size on, sockets send straight from the array (Sockets.sendPinned), which
     * saves a copy per byte; below it, one sendmsg through the stack buffer is cheaper.
     */
    static final int PINNED_THRESHOLD = 64 * 1024;

    private final FdChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final EncodeBuffer encodeBuffer = new EncodeBuffer();
    private final byte[] header = new byte[FrameFormat.MAX_HEADER];
    /** Told of a send that failed in the system call: part of the frame may have left. */
    private final java.util.function.Consumer<Throwable> onBrokenFrame;

    FrameWriter(FdChannel channel, java.util.function.Consumer<Throwable> onBrokenFrame) {
        this.channel = channel;
        this.onBrokenFrame = onBrokenFrame;
    }

    /** Sends {@code data[offset, offset+length)} as one message, framed as CPython frames it. */
    void sendBytes(byte[] data, int offset, int length) throws IOException {
        lock();
        try {
            int headerLength = FrameFormat.headerLength(length, 0);
            FrameFormat.writeHeader(header, headerLength, length, 0);
            if (length >= PINNED_THRESHOLD && channel.transport().isSocket()) {
                send(true, header, headerLength, data, offset, length, null);
            } else {
                send(false, header, headerLength, data, offset, length, null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Encodes {@code value} and sends it, with the fds of any fd-owning objects in it. */
    void sendObject(Object value, MessageSerializer serializer) throws IOException {
        lock();
        try {
            encodeBuffer.reset();
            FdTransfer transfer = MessageCodec.encode(value, encodeBuffer, serializer);
            try {
                int[] fds = transfer == null ? null : transfer.exportedFds();
                if (fds != null) {
                    checkCanCarry(fds.length);
                }
                sendEncoded(fds);
            } finally {
                if (transfer != null) {
                    transfer.releaseExported();
                }
            }
        } finally {
            encodeBuffer.reset();
            lock.unlock();
        }
    }

    private void checkCanCarry(int fdCount) throws NotSerializableException {
        if (!channel.transport().carriesFds()) {
            throw new NotSerializableException("the message holds " + fdCount + " file descriptor(s)"
                    + " (a Connection, say), which cannot travel over a " + channel.transport()
                    + "; use a duplex Pipe or an AF_UNIX connection");
        }
        if (fdCount > Sockets.MAX_PASSED_FDS) {
            throw new NotSerializableException("the message holds " + fdCount + " file descriptors; at most "
                    + Sockets.MAX_PASSED_FDS + " can travel with one message");
        }
    }

    private void sendEncoded(int[] fds) throws IOException {
        int fdCount = fds == null ? 0 : fds.length;
        long payloadLength = encodeBuffer.payloadLength();
        byte[] first = encodeBuffer.firstArray();
        int headerStart = FrameFormat.writeHeader(first, EncodeBuffer.HEADER_ROOM, payloadLength, fdCount);
        if (!encodeBuffer.isSegmented()) {
            sendPart(first, headerStart, encodeBuffer.position() - headerStart, fds);
            return;
        }
        List<byte[]> segments = encodeBuffer.segments();
        for (int i = 0; i < segments.size(); i++) {
            int from = i == 0 ? headerStart : 0;
            sendPart(segments.get(i), from, encodeBuffer.usedLength(i) - from, i == 0 ? fds : null);
        }
    }

    private void sendPart(byte[] array, int offset, int length, int[] fds) throws IOException {
        if (fds == null && length >= PINNED_THRESHOLD && channel.transport().isSocket()) {
            send(true, null, 0, array, offset, length, null);
        } else {
            send(false, null, 0, array, offset, length, fds);
        }
    }

    /** What a failed send throws: the close that caused it, else the failure, which breaks the frame. */
    private IOException closedOrBroken(SystemCallException failure) {
        IOException closed = channel.closedDuringCall();
        return closed != null ? closed : broken(failure);
    }

    /** A send that failed after it may have written part of a frame: the peer can no longer follow. */
    private IOException broken(IOException failure) {
        onBrokenFrame.accept(failure);
        return failure;
    }

    private void lock() {
        if (lock.isHeldByCurrentThread()) {
            // a writeObject/writeReplace of the message being sent tried to send on this connection
            throw new IllegalStateException("send on a connection from within the serialization of a message"
                    + " being sent on it");
        }
        lock.lock();
    }

    /**
     * Sends {@code head[0, headLength)} then {@code body[offset, offset + length)}, {@code fds} with
     * the first byte; {@code pinned}: straight from the array (large payloads on sockets). A virtual
     * thread never blocks in the kernel here, which would hold its carrier for as long as the peer
     * does not read: it sends without waiting and parks until the socket or pipe has room again
     * ({@link ReadinessPoller#parkUntilWritable}), as often as it takes. Like {@code recv} within a
     * message, a send never stops half-way for an interrupt (the frame would be broken): the
     * interrupt stays pending, and closing the connection ends the send.
     */
    private void send(boolean pinned, byte[] head, int headLength, byte[] body, int offset, int length, int[] fds)
            throws IOException {
        int fd = channel.beginBlocking();
        try {
            boolean isSocket = channel.transport().isSocket();
            boolean dontWait = VirtualThreads.current();
            long sent = sendOnce(pinned, fd, isSocket, head, headLength, body, offset, length, fds, dontWait);
            while (sent < (long) headLength + length) {
                if (sent > 0) {
                    fds = null; // they went with the first byte
                }
                if (sent < headLength) {
                    head = java.util.Arrays.copyOfRange(head, (int) sent, headLength);
                    headLength = head.length;
                } else {
                    int fromBody = (int) (sent - headLength);
                    head = null;
                    headLength = 0;
                    offset += fromBody;
                    length -= fromBody;
                }
                ReadinessPoller.parkUntilWritable(fd);
                sent = sendOnce(pinned, fd, isSocket, head, headLength, body, offset, length, fds, dontWait);
            }
        } catch (SystemCallException e) {
            throw closedOrBroken(e);
        } finally {
            channel.endBlocking();
        }
    }

    private static long sendOnce(boolean pinned, int fd, boolean isSocket, byte[] head, int headLength, byte[] body,
            int offset, int length, int[] fds, boolean dontWait) throws SystemCallException {
        return pinned
                ? Sockets.sendPinned(fd, head, headLength, body, offset, length, dontWait)
                : Sockets.sendRun(fd, isSocket, head, headLength, body, offset, length, fds, dontWait);
    }
}
