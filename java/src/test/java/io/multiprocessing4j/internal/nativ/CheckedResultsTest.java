package io.multiprocessing4j.internal.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.errors.SystemCallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The peers' results: outcomes that are not failures come back as named constants or booleans,
 * failures as SystemCallExceptions naming the call and the errno (of their own type where a caller
 * acts on them), and errors only a bug can cause as IllegalStateExceptions. Each on the real call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CheckedResultsTest {
    @Test
    void futexWaitOutcomesAreConstants() {
        ByteBuffer word = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        word.putInt(0, 7);
        assertEquals(Futex.VALUE_DIFFERED, Futex.waitWord(word, 0, 8, 1_000_000));
        assertEquals(Futex.TIMED_OUT, Futex.waitWord(word, 0, 7, 1_000_000));
        assertEquals(0, Futex.wake(word, 0, Futex.ALL));
    }

    @Test
    void aMisplacedFutexWordIsABugNamingTheCall() {
        ByteBuffer word = ByteBuffer.allocateDirect(8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Futex.waitWord(word, 2, 0, 0));
        SystemCallException cause = assertInstanceOf(SystemCallException.class, e.getCause());
        assertEquals("EINVAL", cause.errnoName());
        assertTrue(cause.getMessage().startsWith("futex(FUTEX_WAIT) failed"), cause.getMessage());
    }

    @Test
    void semaphoreOutcomesAreBooleans() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * PosixSemaphores.size() + 8);
        assertFalse(PosixSemaphores.init(buffer, 3, 0), "misaligned: no place for a sem_t");
        assertTrue(PosixSemaphores.init(buffer, 0, 0));
        assertFalse(PosixSemaphores.tryWait(buffer, 0));
        assertFalse(PosixSemaphores.waitFor(buffer, 0, 1_000_000));
        assertTrue(PosixSemaphores.post(buffer, 0));
        assertEquals(1, PosixSemaphores.getValue(buffer, 0));
        assertTrue(PosixSemaphores.tryWait(buffer, 0));
    }

    @Test
    void aVanishedPeerIsPeerGoneWithTheErrnoOfTheCall() throws Exception {
        int[] pair = new int[2];
        Sockets.socketpair(pair);
        try {
            FileDescriptors.closeQuietly(pair[1]);
            byte[] bytes = {1, 2, 3};
            PeerGoneException e = assertThrows(PeerGoneException.class, () -> Sockets.send(pair[0], bytes, 0, 3));
            assertEquals("EPIPE", e.errnoName());
            assertTrue(e.getMessage().startsWith("send failed: EPIPE"), e.getMessage());
        } finally {
            FileDescriptors.closeQuietly(pair[0]);
        }
    }

    @Test
    void anEmptyNonBlockingPipeWouldBlock() throws Exception {
        int[] pipe = new int[2];
        FileDescriptors.pipe(pipe);
        try {
            FileDescriptors.setNonBlocking(pipe[0], true);
            assertEquals(FileDescriptors.WOULD_BLOCK, FileDescriptors.read(pipe[0], new byte[4], 0, 4));
            assertEquals(1, FileDescriptors.write(pipe[1], new byte[] {9}, 0, 1));
            assertEquals(1, FileDescriptors.read(pipe[0], new byte[4], 0, 4));
        } finally {
            FileDescriptors.closeQuietly(pipe[0]);
            FileDescriptors.closeQuietly(pipe[1]);
        }
        assertEquals(FileDescriptors.NOT_OPEN, FileDescriptors.flags(pipe[0]));
        SystemCallException e = assertThrows(SystemCallException.class, () -> FileDescriptors.close(pipe[0]));
        assertEquals("EBADF", e.errnoName());
    }

    @Test
    void sharedMemoryNamesTakenOrMissingAreResults() throws Exception {
        String name = "/mp4j-test-" + UUID.randomUUID();
        assertEquals(SharedMemoryCalls.MISSING, SharedMemoryCalls.shmOpen(name, false, 0));
        assertFalse(SharedMemoryCalls.shmUnlink(name));
        int fd = SharedMemoryCalls.shmOpen(name, true, 0600);
        try {
            assertTrue(fd >= 0);
            assertEquals(SharedMemoryCalls.EXISTS, SharedMemoryCalls.shmOpen(name, true, 0600));
            assertTrue(SharedMemoryCalls.fallocate(fd, 0, 4096));
            assertEquals(4096, SharedMemoryCalls.fileSize(fd));
        } finally {
            FileDescriptors.closeQuietly(fd);
            assertTrue(SharedMemoryCalls.shmUnlink(name));
        }
        SystemCallException e = assertThrows(SystemCallException.class,
                () -> SharedMemoryCalls.shmOpen("/a/b", true, 0600));
        assertTrue(e.getMessage().startsWith("shm_open(/a/b) failed: EINVAL"), e.getMessage());
    }

    @Test
    void aProcessThatIsGoneIsAResult() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertEquals(0, ended.waitFor());
        int pid = (int) ended.pid(); // reaped by the JDK: no such process any more
        assertEquals(ProcessCalls.GONE, ProcessCalls.pidfdOpen(pid));
        assertFalse(ProcessCalls.exists(pid));
        assertTrue(ProcessCalls.exists(ProcessCalls.getpid()));
    }

    @Test
    void removingAnUnwatchedFdFromEpollIsFalse() throws Exception {
        int epfd = EventPoll.create();
        int eventfd = EventPoll.eventfdCreate(0);
        try {
            assertFalse(EventPoll.remove(epfd, eventfd));
            EventPoll.add(epfd, eventfd, 42);
            long[] keys = new long[4];
            assertEquals(0, EventPoll.waitKeys(epfd, keys, 0));
            EventPoll.eventfdSignal(eventfd);
            assertEquals(1, EventPoll.waitKeys(epfd, keys, 1000));
            assertEquals(42, keys[0]);
            assertTrue(EventPoll.eventfdDrain(eventfd));
            assertFalse(EventPoll.eventfdDrain(eventfd));
            assertTrue(EventPoll.remove(epfd, eventfd));
        } finally {
            FileDescriptors.closeQuietly(eventfd);
            FileDescriptors.closeQuietly(epfd);
        }
    }
}
