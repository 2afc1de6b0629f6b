package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.SocketEndpoints;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.sync.VirtualThreads;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads frames (see {@link FrameFormat}) from a connection's fd. Callers serialize their calls
 * (the connection's receive lock).
 *
 * <p>Small messages cost one system call: a read takes whatever the kernel holds, up to the
 * buffer's size, so a header and its payload (and often the messages after it) arrive together.
 * A payload larger than the buffer is read straight into its own array by one native call.
 *
 * <p>A hostile or broken peer cannot make it allocate much more than it actually sent: a payload
 * array is allocated up front only up to {@link #FIRST_CHUNK}, and grows (by doubling) only once
 * the bytes have filled it, so what a message holds in memory is at most twice what arrived, plus
 * one chunk. A negative or over-limit length, an unknown header, or fds that no message announces
 * throw a {@link StreamCorruptedException}.
 *
 * <p>{@link #midFrame()} tells whether a failure left the reader inside a frame: from the moment a
 * header is in the buffer until the frame is consumed whole. The connection must then be given up
 * (see {@link MessageChannel}): where the next frame starts is unknown.
 *
 * <p>Waiting, on a socket: a platform thread sleeps in the read itself for a moment
 * ({@link #KERNEL_MOMENT_MICROS}, the socket's SO_RCVTIMEO), since a message that comes that soon
 * (a round trip with another process) then costs one wake-up, where a poll(2) before the read
 * costs half as much again; after the moment it parks in the {@link ReadinessPoller}. A virtual
 * thread never blocks in a read: it parks whenever the socket has nothing, mid-frame included, so
 * its carrier is free. Only a wait before a frame is interruptible (within the moment, for a
 * platform thread): an interrupt inside a frame would leave the stream mid-frame, so it stays
 * pending until the frame is in. A pipe has no receive timeout: a thread waits in the poller
 * before a frame and in the read within one.
 */
final class FrameReader {
    static final int BUFFER_SIZE = 64 * 1024;
    /**
     * What a payload array may take before its bytes arrive: a 1 MiB message (the common large
     * case) still lands in one exact array; a larger one grows with the data.
     */
    static final int FIRST_CHUNK = 1 << 20;
    /** The largest segment of a payload over 2 GiB. */
    static final int SEGMENT_LIMIT = 1 << 30;
    /** No deadline: block until the frame is complete. */
    static final long NO_DEADLINE = Long.MIN_VALUE;
    /** How long a platform thread's read waits in the kernel before the thread parks instead. */
    static final int KERNEL_MOMENT_MICROS = 1000;

    private final FdChannel channel;
    private final ReceivedFds receivedFds;
    /** A socket whose blocking reads give up after the kernel moment (SO_RCVTIMEO is set). */
    private final boolean momentaryReads;
    /** True from the moment a header is buffered until its frame is consumed whole. */
    private boolean midFrame;
    private final int[] fdScratch = new int[1 + Sockets.MAX_PASSED_FDS];
    private byte[] buffer = new byte[0];
    private int start;
    private int end;
    /** end - start, published for readers that do not hold the receive lock (poll, wait). */
    private volatile int buffered;

    FrameReader(FdChannel channel, ReceivedFds receivedFds) {
        this.channel = channel;
        this.receivedFds = receivedFds;
        this.momentaryReads = channel.transport().isSocket()
                && SocketEndpoints.setReceiveTimeout(channel.number(), KERNEL_MOMENT_MICROS);
    }

    /** Whether the last call failed inside a frame (its header read, its payload not consumed whole). */
    boolean midFrame() {
        return midFrame;
    }

    /** Bytes already read from the fd and not yet consumed; safe to call without the lock. */
    int bufferedBytes() {
        return buffered;
    }

    /**
     * The next frame. {@code maxLength} bounds the payload; {@code allowHuge} permits payloads
     * beyond one Java array. With a deadline ({@link System#nanoTime()} based), waits at most until
     * then ({@link SocketTimeoutException}); with {@code exact}, reads no byte beyond the frame.
     *
     * @throws EOFException when the peer closed with nothing left to read
     */
    Frame next(long maxLength, boolean allowHuge, long deadline, boolean exact) throws IOException {
        return next(maxLength, allowHuge, deadline, exact, null, 0);
    }

    /**
     * Like {@link #next(long, boolean, long, boolean)}; a payload larger than the buffer that fits
     * in {@code destination[destinationOffset..]} is read straight into it (the frame then refers
     * to {@code destination}), sparing an allocation and a copy.
     */
    Frame next(long maxLength, boolean allowHuge, long deadline, boolean exact, byte[] destination,
               int destinationOffset) throws IOException {
        midFrame = false;
        if (deadline == NO_DEADLINE && end == start) {
            if (!momentaryReads) {
                awaitFrameStart();
            } else if (Thread.currentThread().isInterrupted()) {
                throw ReadinessPoller.interrupted();
            }
        }
        if (!require(FrameFormat.SHORT_HEADER, deadline, exact, true)) {
            throw new EOFException();
        }
        midFrame = true;
        int mark = FrameFormat.getInt(buffer, start);
        int headerLength;
        long length;
        int fdCount = 0;
        if (mark >= 0) {
            headerLength = FrameFormat.SHORT_HEADER;
            length = mark;
        } else if (mark == FrameFormat.LONG_MARK) {
            headerLength = FrameFormat.LONG_HEADER;
            require(headerLength, deadline, exact, false);
            length = FrameFormat.getLong(buffer, start + 4);
        } else if (mark == FrameFormat.FDS_MARK) {
            headerLength = FrameFormat.FDS_HEADER;
            require(headerLength, deadline, exact, false);
            fdCount = FrameFormat.getInt(buffer, start + 4);
            length = FrameFormat.getLong(buffer, start + 8);
            if (fdCount <= 0 || fdCount > Sockets.MAX_PASSED_FDS) {
                throw protocolError("a message header announces " + fdCount + " file descriptors");
            }
        } else {
            throw protocolError("a message header gives the negative length " + mark);
        }
        if (length < 0) {
            throw protocolError("a message header gives the length " + Long.toUnsignedString(length));
        }
        if (length > maxLength) {
            throw protocolError("bad message length: " + length + " bytes, more than the maximum of " + maxLength);
        }
        if (length > FrameFormat.MAX_ARRAY && !allowHuge) {
            throw protocolError("bad message length: " + length + " bytes do not fit in a Java array"
                    + " (receive it with recv())");
        }
        int[] fds = Frame.NO_FDS;
        if (fdCount > 0) {
            if (receivedFds.size() < fdCount) {
                throw protocolError("a message announces " + fdCount + " file descriptors but "
                        + receivedFds.size() + " arrived");
            }
            fds = receivedFds.take(fdCount);
        }
        consume(headerLength);
        try {
            Frame frame = payload(length, fds, deadline, exact, destination, destinationOffset);
            midFrame = false;
            return frame;
        } catch (IOException | RuntimeException | Error e) {
            for (int fd : fds) {
                FileDescriptors.closeQuietly(fd);
            }
            throw e;
        }
    }

    private Frame payload(long length, int[] fds, long deadline, boolean exact, byte[] destination,
                          int destinationOffset) throws IOException {
        if (length <= BUFFER_SIZE) {
            int size = (int) length;
            require(size, deadline, exact, false);
            Frame frame = Frame.inBuffer(buffer, start, size, fds);
            consume(size);
            return frame;
        }
        if (destination != null && length <= destination.length - destinationOffset) {
            int size = (int) length;
            int have = takeBuffered(destination, destinationOffset, size);
            while (have < size) {
                have += receiveInto(destination, destinationOffset + have, size - have, deadline, have, size);
            }
            return Frame.inArray(destination, destinationOffset, size, fds);
        }
        if (length <= FrameFormat.MAX_ARRAY) {
            return Frame.ofArray(readArray((int) length, deadline), fds);
        }
        return Frame.ofSegments(readSegments(length, deadline), length, fds);
    }

    /** A payload of its own array, which grows by doubling once the bytes have filled FIRST_CHUNK. */
    private byte[] readArray(int length, long deadline) throws IOException {
        byte[] data = new byte[Math.min(length, FIRST_CHUNK)];
        int have = takeBuffered(data, 0, length);
        while (have < length) {
            if (have == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(length, data.length * 2L));
            }
            have += receiveInto(data, have, data.length - have, deadline, have, length);
        }
        return data;
    }

    /**
     * A payload over 2 GiB, in segments of growing size (at most SEGMENT_LIMIT each); a segment is
     * allocated only once the ones before it are full.
     */
    private List<byte[]> readSegments(long length, long deadline) throws IOException {
        List<byte[]> segments = new ArrayList<>();
        long have = 0;
        int nextSize = FIRST_CHUNK;
        while (have < length) {
            byte[] segment = new byte[(int) Math.min(length - have, nextSize)];
            int used = takeBuffered(segment, 0, segment.length);
            while (used < segment.length) {
                used += receiveInto(segment, used, segment.length - used, deadline, have + used, length);
            }
            segments.add(segment);
            have += used;
            nextSize = (int) Math.min(SEGMENT_LIMIT, nextSize * 2L);
        }
        return segments;
    }

    private int takeBuffered(byte[] into, int at, int wanted) {
        int taken = Math.min(end - start, wanted);
        System.arraycopy(buffer, start, into, at, taken);
        consume(taken);
        return taken;
    }

    /** Reads into into[at, at+count) straight from the fd; throws if the peer closes first. */
    private int receiveInto(byte[] into, int at, int count, long deadline, long have, long length)
            throws IOException {
        int n = deadline == NO_DEADLINE && channel.transport().isSocket()
                ? receivePinned(into, at, count)
                : receive(into, at, count, deadline == NO_DEADLINE ? count : 1, deadline);
        if (n == 0) {
            throw truncated(have, length);
        }
        return n;
    }

    /**
     * Makes sure {@code count} (at most BUFFER_SIZE) bytes are buffered. Returns false only when
     * {@code atFrameStart}, nothing is buffered and the peer has closed.
     */
    private boolean require(int count, long deadline, boolean exact, boolean atFrameStart) throws IOException {
        if (end - start >= count) {
            return true;
        }
        if (buffer.length == 0) {
            buffer = new byte[BUFFER_SIZE];
        }
        if (buffer.length - start < count) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < count) {
            int missing = count - (end - start);
            int room = exact ? missing : buffer.length - end;
            int n = receive(buffer, end, room, deadline == NO_DEADLINE ? missing : 1, deadline);
            if (n == 0) {
                if (atFrameStart && end == start) {
                    return false;
                }
                throw truncated(end - start, count);
            }
            end += n;
            buffered = end - start;
        }
        return true;
    }

    private void consume(int count) {
        start += count;
        if (start == end) {
            start = 0;
            end = 0;
        }
        buffered = end - start;
    }

    /**
     * One native receive, waiting for data as the class comment says; queues arriving fds. Returns
     * the bytes read, 0 at EOF.
     */
    private int receive(byte[] into, int at, int count, int minimum, long deadline) throws IOException {
        boolean interruptible = end == start && !midFrame;
        while (true) {
            if (deadline != NO_DEADLINE) {
                awaitReadable(deadline);
            }
            // a virtual thread never waits in the kernel (a socket's MSG_DONTWAIT, a pipe's RWF_NOWAIT)
            boolean dontWait = VirtualThreads.current() || (momentaryReads && deadline != NO_DEADLINE);
            int fd = channel.beginBlocking();
            int n;
            try {
                n = Sockets.receive(fd, channel.transport().isSocket(), into, at, count, minimum, fdScratch,
                        dontWait);
            } catch (SystemCallException e) {
                throw closedOr(e);
            } finally {
                channel.endBlocking();
            }
            queueArrivedFds();
            if (n == FileDescriptors.WOULD_BLOCK) {
                awaitMore(interruptible, !dontWait);
                continue;
            }
            if (n == 0 && channel.isClosed()) {
                throw channel.closedDuringCall();
            }
            return n;
        }
    }

    /**
     * Receives up to {@code count} bytes straight into the array (see Sockets.receivePinned),
     * waiting parked while the socket has none; 0 at EOF.
     */
    private int receivePinned(byte[] into, int at, int count) throws IOException {
        while (true) {
            int fd = channel.beginBlocking();
            int n;
            try {
                n = Sockets.receivePinned(fd, into, at, count);
            } catch (SystemCallException e) {
                throw closedOr(e);
            } finally {
                channel.endBlocking();
            }
            if (n == FileDescriptors.WOULD_BLOCK) {
                awaitMore(false, false);
                continue;
            }
            if (n == 0 && channel.isClosed()) {
                throw channel.closedDuringCall();
            }
            return n;
        }
    }

    /**
     * After a read found nothing: waits until the socket is readable. A platform thread whose read
     * has not already spent the kernel moment spends it in poll(2); then it parks, as a virtual
     * thread does at once.
     */
    private void awaitMore(boolean interruptible, boolean momentSpent) throws IOException {
        int fd = channel.beginBlocking();
        try {
            if (momentSpent || VirtualThreads.current()) {
                ReadinessPoller.parkUntilReadable(fd, interruptible);
            } else {
                ReadinessPoller.awaitReadable(fd, -1, interruptible);
            }
        } finally {
            channel.endBlocking();
        }
        IOException closed = channel.closedDuringCall();
        if (closed != null) {
            throw closed;
        }
    }

    /** What a failed receive throws: the close that caused it, if the channel was closed meanwhile. */
    private IOException closedOr(SystemCallException failure) {
        IOException closed = channel.closedDuringCall();
        return closed != null ? closed : failure;
    }

    private void queueArrivedFds() throws IOException {
        int header = fdScratch[0];
        if (header == 0) {
            return;
        }
        boolean dropped = header < 0;
        int count = dropped ? -1 - header : header;
        fdScratch[0] = 0;
        if (!receivedFds.add(fdScratch, 1, count)) {
            throw protocolError("the peer sent more than " + ReceivedFds.LIMIT
                    + " file descriptors that no message claims");
        }
        if (dropped) {
            throw protocolError("the kernel dropped file descriptors sent with a message (MSG_CTRUNC)");
        }
    }

    /**
     * Before a frame, with nothing buffered: waits parked until the fd is readable (the read itself
     * would block in the kernel, holding a virtual thread's carrier), interruptibly. Within a frame
     * the reads block as they are: an interrupt there would leave the stream mid-frame.
     */
    private void awaitFrameStart() throws IOException {
        int fd = channel.beginBlocking();
        try {
            ReadinessPoller.awaitReadable(fd, -1, true);
        } finally {
            channel.endBlocking();
        }
        IOException closed = channel.closedDuringCall();
        if (closed != null) {
            throw closed;
        }
    }

    private void awaitReadable(long deadline) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("timed out waiting for a message");
        }
        int fd = channel.beginBlocking();
        int events;
        try {
            events = ReadinessPoller.awaitReadable(fd, remaining, true);
        } finally {
            channel.endBlocking();
        }
        if (events == 0) {
            throw new SocketTimeoutException("timed out waiting for a message");
        }
    }

    /** Drops what is buffered and reports a message cut short by the peer's close. */
    private IOException truncated(long have, long length) {
        start = 0;
        end = 0;
        buffered = 0;
        return new IOException("got end of file during message: the peer closed the connection after "
                + have + " of " + length + " bytes");
    }

    private IOException protocolError(String what) {
        midFrame = true; // whatever the header said, where the next frame starts is unknown
        start = 0;
        end = 0;
        buffered = 0;
        return new StreamCorruptedException(what + "; connection closed");
    }
}
