package io.multiprocessing4j.internal.connection;

/**
 * The wire form of one message: a header, then the payload.
 *
 * <pre>
 *   length &lt;= 2^31-1:   int32 length                              (CPython's header)
 *   longer:             int32 -1, uint64 length                   (CPython's escape for huge messages)
 *   with fds:           int32 -2, int32 fd count, int64 length    (ours; the fds ride with its first byte)
 * </pre>
 *
 * All big-endian. A message without fds is framed exactly as CPython frames it, so plain byte
 * messages interoperate with {@code multiprocessing.connection} peers.
 */
public final class FrameFormat {
    public static final int SHORT_HEADER = 4;
    public static final int LONG_HEADER = 12;
    public static final int FDS_HEADER = 16;
    /** Room to reserve in front of a payload for any header. */
    public static final int MAX_HEADER = FDS_HEADER;

    static final int LONG_MARK = -1;
    static final int FDS_MARK = -2;

    /** The largest Java array the JVM reliably allocates. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private FrameFormat() {
    }

    public static int headerLength(long payloadLength, int fdCount) {
        if (fdCount > 0) {
            return FDS_HEADER;
        }
        return payloadLength > Integer.MAX_VALUE ? LONG_HEADER : SHORT_HEADER;
    }

    /**
     * Writes the header so that it ends at {@code payloadStart}; returns where it begins.
     * {@code payloadStart} must leave room for {@link #headerLength}.
     */
    public static int writeHeader(byte[] into, int payloadStart, long payloadLength, int fdCount) {
        int start = payloadStart - headerLength(payloadLength, fdCount);
        if (fdCount > 0) {
            putInt(into, start, FDS_MARK);
            putInt(into, start + 4, fdCount);
            putLong(into, start + 8, payloadLength);
        } else if (payloadLength > Integer.MAX_VALUE) {
            putInt(into, start, LONG_MARK);
            putLong(into, start + 4, payloadLength);
        } else {
            putInt(into, start, (int) payloadLength);
        }
        return start;
    }

    static int getInt(byte[] from, int at) {
        return ((from[at] & 0xff) << 24) | ((from[at + 1] & 0xff) << 16) | ((from[at + 2] & 0xff) << 8)
                | (from[at + 3] & 0xff);
    }

    static long getLong(byte[] from, int at) {
        return ((long) getInt(from, at) << 32) | (getInt(from, at + 4) & 0xffffffffL);
    }

    static void putInt(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }

    static void putLong(byte[] into, int at, long value) {
        putInt(into, at, (int) (value >>> 32));
        putInt(into, at + 4, (int) value);
    }
}
