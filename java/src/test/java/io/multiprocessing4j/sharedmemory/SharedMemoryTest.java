package io.multiprocessing4j.sharedmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

@InFaultSuite
class SharedMemoryTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aSeparateJvmAttachesByName() throws Exception {
        SharedMemory block = SharedMemory.create(4096);
        ShareableList list = ShareableList.create(List.of(7L, "a string with room to spare"));
        try (SeparateJvm other = SeparateJvm.start(AttachByNameMain.class, block.name(), list.shm().name())) {
            block.buf().putLong(0, 21);
            assertTrue(other.awaitReady(), "the other JVM attached");
            assertEquals("4096", other.fact("SIZE"));
            assertEquals("21", other.fact("FIRST"));
            assertEquals("2 7 a string with room to spare", other.fact("ITEMS"));
            assertEquals(0, other.awaitExit(30));
            assertEquals(42, block.buf().getLong(8), "the other JVM's answer");
            assertEquals("changed by " + other.pid(), list.get(1));
        } finally {
            block.close();
            block.unlink();
            list.close();
            list.shm().unlink();
        }
    }

    /**
     * close() gives the mapping up at once, not at a garbage collection (the block's memory stayed
     * taken after close() and unlink() until a System.gc()); a buffer handed out before the close
     * reads zeros afterwards and never crashes the JVM, while another attachment still sees the data.
     */
    @Test
    void closeReleasesTheMappingAtOnceAndStaleBuffersCannotCrash() throws Exception {
        SharedMemory block = SharedMemory.create(4 << 20);
        String mapped = "/dev/shm/" + block.name();
        try {
            ByteBuffer stale = block.buf();
            for (int page = 0; page < stale.capacity(); page += 4096) {
                stale.put(page, (byte) 7);
            }
            assertTrue(Files.readString(Path.of("/proc/self/maps")).contains(mapped), "mapped while open");
            block.close();
            assertFalse(Files.readString(Path.of("/proc/self/maps")).contains(mapped),
                    "close() released the mapping without waiting for a GC");
            assertThrows(IllegalStateException.class, block::buf);
            assertEquals(0, stale.get(4096), "a stale buffer reads zeros");
            stale.put(8192, (byte) 1); // writes to memory of its own: no fault
            block.close(); // idempotent
            try (SharedMemory again = SharedMemory.attach(block.name())) {
                assertEquals(7, again.buf().get(8192), "the block itself kept what was written before the close");
            }
        } finally {
            block.unlink();
        }
    }

    @Test
    void aChildAttachesToABlockItsTargetCaptured() throws Exception {
        SharedMemory block = SharedMemory.create("mp4j_test_" + ProcessHandle.current().pid(), 64);
        try (Children children = new Children()) {
            Children.assertExitsCleanly(children.start(() -> fill(block)), CHILD_TIMEOUT);
            byte[] seen = new byte[64];
            block.buf().get(seen);
            byte[] expected = new byte[64];
            Arrays.fill(expected, (byte) 9);
            assertTrue(Arrays.equals(expected, seen));
        } finally {
            block.unlink();
        }
    }

    static void fill(SharedMemory block) {
        ByteBuffer buf = block.buf();
        while (buf.hasRemaining()) {
            buf.put((byte) 9);
        }
        block.close();
    }

    @Test
    void createIsExclusiveOwnerOnlyAndUnlinkRemovesTheName() throws Exception {
        String name = "mp4j_test_exclusive_" + ProcessHandle.current().pid();
        SharedMemory block = SharedMemory.create("/" + name, 100);
        try {
            assertEquals(name, block.name(), "a leading '/' is accepted and not part of the name");
            assertEquals(100, block.size());
            Path file = Path.of("/dev/shm", name);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertThrows(FileAlreadyExistsException.class, () -> SharedMemory.create(name, 100));
            try (SharedMemory again = SharedMemory.attach(name)) {
                assertEquals(100, again.size());
            }
            block.unlink();
            assertFalse(Files.exists(file));
            assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(name));
            assertThrows(NoSuchFileException.class, block::unlink);
            block.buf().put(0, (byte) 1); // still mapped here until closed
        } finally {
            block.close();
        }
        IllegalStateException closed = assertThrows(IllegalStateException.class, block::buf);
        assertEquals("SharedMemory is closed", closed.getMessage());
        ProcessStartException notSent = assertThrows(ProcessStartException.class,
                () -> new ChildProcess(() -> block.size()).start());
        assertTrue(notSent.getMessage().contains("closed"), notSent.getMessage());
    }

    @Test
    void freshNamesAreUnguessableAndDistinct() throws Exception {
        SharedMemory a = SharedMemory.create(1);
        SharedMemory b = SharedMemory.create(1);
        try {
            assertTrue(a.name().matches("mp4j_[a-z2-7]{26}"), a.name());
            assertNotEquals(a.name(), b.name());
        } finally {
            a.unlink();
            b.unlink();
        }
    }

    @Test
    void badNamesAndSizesAreRefusedAtTheCall() {
        for (String bad : new String[] {"", "/", "a/b", ".", "..", "x".repeat(256), "line\nbreak"}) {
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(bad, 10), "name '" + bad + "'");
        }
        assertThrows(NullPointerException.class, () -> SharedMemory.attach(null));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(-1));
        assertThrows(NoSuchFileException.class, () -> SharedMemory.attach("mp4j_no_such_block_at_all"));
    }

    @Test
    void aShareableListKeepsTypesAndRoomAsPythonDoes() throws Exception {
        ShareableList list = ShareableList.create(Arrays.asList(1, 2.5, true, "hello", new byte[] {1, 2}, null));
        try {
            assertEquals(6, list.size());
            assertEquals(1L, list.get(0));
            assertEquals(2.5, list.get(1));
            assertEquals(true, list.get(2));
            assertEquals("hello", list.get(3));
            assertTrue(Arrays.equals(new byte[] {1, 2}, (byte[]) list.get(4)));
            assertEquals(null, list.get(5));

            assertEquals(1L, list.set(0, "numbers"), "a number's room (8 bytes) fits a short string");
            assertEquals("numbers", list.get(0));
            list.set(5, 99L);
            assertEquals(99L, list.get(5));
            list.set(3, "hell");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> list.set(3, "far too long for the room"));
            assertTrue(e.getMessage().startsWith("bytes/str item exceeds available storage"), e.getMessage());
            assertEquals("hell", list.get(3), "unchanged by the refused set");
            assertThrows(IllegalArgumentException.class, () -> list.set(2, new Object()));
            assertThrows(IndexOutOfBoundsException.class, () -> list.get(6));
            assertThrows(UnsupportedOperationException.class, () -> list.add(1L));
            try (Children children = new Children()) {
                Children.assertExitsCleanly(children.start(() -> list.set(2, false)), CHILD_TIMEOUT);
            }
            assertEquals(false, list.get(2));
        } finally {
            list.close();
            list.shm().unlink();
        }
        assertThrows(IllegalStateException.class, () -> list.get(0));
    }
}
