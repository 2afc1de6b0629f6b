package io.multiprocessing4j.internal.process;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.StreamCorruptedException;
import io.multiprocessing4j.internal.transfer.ByteCursor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the parent tells a new child over the control socket before it runs anything: who it is,
 * who its parent is, the context it inherits, how many fds were mapped in for its target, and
 * the serialized target itself (a {@code ProcessTarget}; for a subclass overriding {@code run()},
 * a method reference to the process object's {@code run}). Plain data, so that the child can set up its identity and fds
 * before a single user class is deserialized.
 *
 * <p>Wire form: a 4-byte big-endian length, then the fields below in order.
 */
public final class BootstrapMessage {
    private static final int MAGIC = 0x4d50344a; // "MP4J"
    private static final int VERSION = 1;
    public final String name;
    public final int[] identity;
    public final boolean daemon;
    public final byte[] authkey;
    public final int parentPid;
    public final String parentName;
    /** The context, when sending. */
    public final LaunchSettings context;
    /** The context as received (decoded lazily), when receiving. */
    public final DefaultContext.WireForm receivedContext;
    public final int transferredFdCount;
    /** True when {@link #target} is in {@code LambdaCodec}'s compact form, false for Java serialization. */
    public final boolean compactTarget;
    public final byte[] target;
    /**
     * When sending: the classes the child loads to rebuild the target (not sent with it), which
     * warm spares booted later load ahead of their orders (see {@link SparePreload}).
     */
    public final List<String> targetClasses;

    /** A message to send: the context travels in full. */
    public BootstrapMessage(String name, int[] identity, boolean daemon, byte[] authkey, int parentPid,
                            String parentName, LaunchSettings context, int transferredFdCount,
                            boolean compactTarget, byte[] target) {
        this(name, identity, daemon, authkey, parentPid, parentName, context, transferredFdCount, compactTarget,
                target, List.of());
    }

    /** A message to send, naming the classes its target needs. */
    public BootstrapMessage(String name, int[] identity, boolean daemon, byte[] authkey, int parentPid,
                            String parentName, LaunchSettings context, int transferredFdCount,
                            boolean compactTarget, byte[] target, List<String> targetClasses) {
        this(name, identity, daemon, authkey, parentPid, parentName, context, null, transferredFdCount,
                compactTarget, target, targetClasses);
    }

    private BootstrapMessage(String name, int[] identity, boolean daemon, byte[] authkey, int parentPid,
                             String parentName, LaunchSettings context, DefaultContext.WireForm receivedContext,
                             int transferredFdCount, boolean compactTarget, byte[] target, List<String> targetClasses) {
        this.name = name;
        this.identity = identity;
        this.daemon = daemon;
        this.authkey = authkey;
        this.parentPid = parentPid;
        this.parentName = parentName;
        this.context = context;
        this.receivedContext = receivedContext;
        this.transferredFdCount = transferredFdCount;
        this.compactTarget = compactTarget;
        this.target = target;
        this.targetClasses = List.copyOf(targetClasses);
    }

    /** The framed message: length prefix included. */
    public byte[] encode() {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(256 + target.length);
            DataOutputStream out = new DataOutputStream(body);
            out.writeInt(0); // length, patched below
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            writeString(out, name);
            out.writeInt(identity.length);
            for (int part : identity) {
                out.writeInt(part);
            }
            out.writeBoolean(daemon);
            writeBytes(out, authkey);
            out.writeInt(parentPid);
            writeString(out, parentName);
            DefaultContext.write(context, out);
            out.writeInt(transferredFdCount);
            out.writeBoolean(compactTarget);
            writeBytes(out, target);
            out.flush();
            byte[] framed = body.toByteArray();
            int length = framed.length - 4;
            framed[0] = (byte) (length >>> 24);
            framed[1] = (byte) (length >>> 16);
            framed[2] = (byte) (length >>> 8);
            framed[3] = (byte) length;
            return framed;
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Parses a message body (what follows the length prefix). */
    public static BootstrapMessage decode(byte[] body) throws IOException {
        ByteCursor in = new ByteCursor(body, 0, body.length);
        if (in.getInt() != MAGIC) {
            throw new StreamCorruptedException("not a multiprocessing4j bootstrap message");
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw new InvalidObjectException("bootstrap message version " + version + ", expected " + VERSION
                    + ": parent and child run different multiprocessing4j versions");
        }
        String name = readString(in);
        int depth = in.getInt();
        if (depth < 0 || depth > 4096) {
            throw new StreamCorruptedException("identity depth " + depth);
        }
        int[] identity = new int[depth];
        for (int i = 0; i < depth; i++) {
            identity[i] = in.getInt();
        }
        boolean daemon = in.getBoolean();
        byte[] authkey = readBytes(in);
        int parentPid = in.getInt();
        String parentName = readString(in);
        DefaultContext.WireForm context = DefaultContext.read(in);
        int fdCount = in.getInt();
        boolean compact = in.getBoolean();
        byte[] target = readBytes(in);
        return new BootstrapMessage(name, identity, daemon, authkey, parentPid, parentName, null, context, fdCount,
                compact, target, List.of());
    }

    /** A length-prefixed UTF-8 string (DataOutput.writeUTF stops at 64 KiB; class paths do not). */
    static void writeString(DataOutput out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-prefixed UTF-8 string. */
    static String readString(ByteCursor in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    /** Length-prefixed bytes; the length is checked against what is left before any allocation. */
    private static byte[] readBytes(ByteCursor in) throws IOException {
        return in.getBytes(in.getLength(1));
    }

    private static void writeBytes(DataOutput out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
