package io.multiprocessing4j.internal.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.support.ProcessTable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A target's {@link CarriedFd} (a pool worker's end of its socketpair): it keeps the target in the
 * compact form, its fd travels beside it, and the rebuilt target owns a working fd; it also
 * survives Java serialization, and no failure leaks an fd.
 */
class CarriedFdTest {
    private static final List<Object> RUN = new ArrayList<>();
    private final int[] pair = {-1, -1};

    @BeforeEach
    void openPair() throws IOException {
        Sockets.socketpair(pair);
    }

    @AfterEach
    void closePair() {
        FileDescriptors.closeQuietly(pair[0]);
        FileDescriptors.closeQuietly(pair[1]);
    }

    /** A carried copy of the socketpair's second end, as a pool's worker end. */
    private CarriedFd carriedCopy() throws IOException {
        return CarriedFd.of(new OwnedFd(FileDescriptors.dupCloexec(pair[1], 3)));
    }

    /** The target's body: says its word on the carried fd, then closes it. */
    static void sayOn(CarriedFd carried, String word) throws IOException {
        try (OwnedFd fd = carried.take()) {
            byte[] bytes = word.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            FileDescriptors.write(fd.fd(), bytes, 0, bytes.length);
        }
        RUN.add(word);
    }

    private String heardOnPeer(int length) throws IOException {
        byte[] bytes = new byte[length];
        assertEquals(length, FileDescriptors.read(pair[0], bytes, 0, length));
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Copies of the exported fds, as a child's received ones; the exports are then released. */
    private static int[] receivedCopies(FdTransfer out) throws IOException {
        int[] exported = out.exportedFds();
        int[] copies = new int[exported.length];
        try {
            for (int i = 0; i < exported.length; i++) {
                copies[i] = FileDescriptors.dupCloexec(exported[i], 3);
            }
        } finally {
            out.releaseExported();
        }
        return copies;
    }

    /** Decodes with the received fds; those no object claimed are closed. */
    private Object decodeAsAChildWould(byte[] compact, int[] received) throws Exception {
        FdTransfer in = FdTransfer.forReading(received);
        try {
            return LambdaCodec.decode(compact, getClass().getClassLoader(), in);
        } finally {
            in.closeUnclaimed();
        }
    }

    @Test
    void aCarriedFdKeepsTheTargetCompactAndArrivesWorking() throws Exception {
        CarriedFd carried = carriedCopy();
        ProcessTarget target = () -> sayOn(carried, "hello");
        FdTransfer out = FdTransfer.forWriting();
        byte[] compact = LambdaCodec.encode(target, out);
        assertNotNull(compact, "a carried fd must not push the target to Java serialization");
        assertEquals(1, out.exportedFds().length);
        int[] received = receivedCopies(out);
        carried.close();
        ProcessTarget rebuilt = (ProcessTarget) decodeAsAChildWould(compact, received);
        RUN.clear();
        rebuilt.run();
        assertEquals(List.of("hello"), RUN);
        assertEquals("hello", heardOnPeer(5));
    }

    @Test
    void javaSerializationCarriesItToo() throws Exception {
        CarriedFd carried = carriedCopy();
        List<String> notPlain = new ArrayList<>(List.of("x")); // forces Java serialization
        ProcessTarget target = () -> sayOn(carried, "bye" + notPlain.size());
        FdTransfer out = FdTransfer.forWriting();
        assertNull(LambdaCodec.encode(target, out));
        assertEquals(0, out.exportedFds().length, "a refused compact form exports nothing");
        byte[] serialized = Serialization.serialize(target, out);
        int[] received = receivedCopies(out);
        carried.close();
        FdTransfer in = FdTransfer.forReading(received);
        ProcessTarget rebuilt;
        try {
            rebuilt = (ProcessTarget) Serialization.deserialize(serialized, in);
        } finally {
            in.closeUnclaimed();
        }
        rebuilt.run();
        assertEquals("bye1", heardOnPeer(4));
    }

    @Test
    void withoutATransferOrItsFdItIsAClearRefusal() throws Exception {
        CarriedFd carried = carriedCopy();
        ProcessTarget target = () -> sayOn(carried, "never");
        assertNull(LambdaCodec.encode(target), "without a transfer there is nowhere for the fd to go");
        FdTransfer out = FdTransfer.forWriting();
        byte[] compact = LambdaCodec.encode(target, out);
        out.releaseExported();
        InvalidObjectException noTransfer = assertThrows(InvalidObjectException.class,
                () -> LambdaCodec.decode(compact, getClass().getClassLoader()));
        assertTrue(noTransfer.getMessage().contains("where its fd arrives"), noTransfer.getMessage());
        InvalidObjectException noFd = assertThrows(InvalidObjectException.class,
                () -> LambdaCodec.decode(compact, getClass().getClassLoader(), FdTransfer.forReading(new int[0])));
        assertTrue(noFd.getMessage().contains("#0 of 0"), noFd.getMessage());
        carried.close();
        NotSerializableException closed = assertThrows(NotSerializableException.class,
                () -> LambdaCodec.encode(target, FdTransfer.forWriting()));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, carried::take, "a closed carried fd cannot be taken");
    }

    @Test
    void corruptTargetsLeakNoFd() throws Exception {
        CarriedFd carried = carriedCopy();
        ProcessTarget target = () -> sayOn(carried, "fuzz");
        FdTransfer out = FdTransfer.forWriting();
        byte[] good = LambdaCodec.encode(target, out);
        int exported = out.exportedFds()[0];
        out.releaseExported();
        String workerEnd = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + pair[1]))
                .toString();
        Random random = new Random(11);
        for (int round = 0; round < 1000; round++) {
            byte[] mangled = good.clone();
            mangled[4 + random.nextInt(mangled.length - 4)] = (byte) random.nextInt();
            FdTransfer in = FdTransfer.forReading(new int[] {FileDescriptors.dupCloexec(exported, 3)});
            try {
                Object decoded = LambdaCodec.decode(mangled, getClass().getClassLoader(), in);
                for (Object captured : LambdaCodec.capturedBy(decoded)) {
                    if (captured instanceof CarriedFd) {
                        ((CarriedFd) captured).close();
                    }
                }
            } catch (IOException | ClassNotFoundException | LinkageError | IllegalArgumentException expected) {
                // a clear refusal is what corruption must get
            } finally {
                in.closeUnclaimed();
            }
        }
        carried.close();
        List<String> copiesLeft = new ArrayList<>();
        for (String fd : ProcessTable.openFds()) {
            if (fd.endsWith(" -> " + workerEnd) && !fd.startsWith(pair[1] + " -> ")) {
                copiesLeft.add(fd);
            }
        }
        assertEquals(List.of(), copiesLeft, "copies of the carried fd left open");
    }

    @Test
    void aRebuiltTargetReportsWhatItCaptured() throws Exception {
        CarriedFd carried = carriedCopy();
        ProcessTarget target = () -> sayOn(carried, "seen");
        FdTransfer out = FdTransfer.forWriting();
        byte[] compact = LambdaCodec.encode(target, out);
        int[] received = receivedCopies(out);
        carried.close();
        Object[] captured = LambdaCodec.capturedBy(decodeAsAChildWould(compact, received));
        assertEquals(1, captured.length);
        assertTrue(captured[0] instanceof CarriedFd);
        ((CarriedFd) captured[0]).close();
        assertArrayEquals(new Object[0], LambdaCodec.capturedBy(new Object()));
    }
}
