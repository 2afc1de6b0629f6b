package io.multiprocessing4j.sharedmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.SharedInt;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where /dev/shm is read-only or missing (AWS Lambda has none; some sandboxes mount it read-only),
 * CPython's locks, queues and pools fail. Here locks, shared values and queue buffers come from
 * memfd_create, and named segments (a SharedMemory, a queue's large messages) from a private
 * folder in java.io.tmpdir that every process of the tree uses; the resource tracker cleans it as
 * it cleans /dev/shm. The JVM under test runs in a mount namespace of its own with /dev/shm
 * mounted read-only, or with a /dev of a few device nodes and no shm at all (needs root).
 */
@InFaultSuite
@ProcessSemantics
@Timeout(180)
class NoDevShmTest {
    private static boolean namespaces;

    @BeforeAll
    static void probeNamespaces() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-m", "--propagation", "private", "true")
                .redirectErrorStream(true).start();
        namespaces = probe.waitFor() == 0;
    }

    /** Uses each kind of shared object across processes; reports what each gave. */
    public static final class UseEverything {
        public static void main(String[] args) throws Exception {
            SharedInt counter = SharedInt.create(0);
            Lock lock = new Lock();
            Queue<byte[]> queue = new Queue<>();
            SharedMemory named = SharedMemory.create(4096);
            String name = named.name();
            ChildProcess child = new ChildProcess(() -> {
                addUnderLock(lock, counter, 1000);
                try (SharedMemory attached = SharedMemory.attach(name)) {
                    attached.buf().put(0, (byte) 42);
                    queue.put(new byte[2 << 20]); // larger than the queue's buffer: a named segment
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            child.start();
            addUnderLock(lock, counter, 1000);
            SeparateJvm.report("LARGE_MESSAGE", queue.get(Duration.ofSeconds(60)).length);
            child.join(Duration.ofSeconds(60));
            SeparateJvm.report("CHILD_EXIT", child.exitCode().orElse(-999));
            SeparateJvm.report("COUNTER", counter.get());
            SeparateJvm.report("NAMED", named.buf().get(0));
            named.close();
            named.unlink();
            try (Pool pool = new Pool(2)) {
                SeparateJvm.report("SQUARES", pool.map(NoDevShmTest::square, List.of(1, 2, 3)));
            }
            SeparateJvm.report("MEMFDS", Files.list(Path.of("/proc/self/fd")).filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("/memfd:multiprocessing4j-");
                } catch (Exception e) {
                    return false;
                }
            }).count());
            SharedMemory.create(4096); // left for the resource tracker to remove
        }
    }

    /** A read-modify-write that only the lock makes safe across processes. */
    static void addUnderLock(Lock lock, SharedInt counter, int times) {
        for (int i = 0; i < times; i++) {
            lock.lock();
            try {
                counter.set(counter.get() + 1);
            } finally {
                lock.unlock();
            }
        }
    }

    static int square(int x) {
        return x * x;
    }

    private static void run(Path directory, String setup) throws Exception {
        assumeTrue(namespaces, "needs a mount namespace (unshare -m, root): skipped");
        Path tmp = Files.createDirectory(directory.resolve("tmp"));
        List<String> prefix = List.of("unshare", "-m", "--propagation", "private", "sh", "-c", setup + " && exec \"$@\"", "sh");
        try (SeparateJvm jvm = SeparateJvm.start(directory, prefix, List.of("-Djava.io.tmpdir=" + tmp), UseEverything.class)) {
            assertEquals(0, jvm.awaitExit(150), jvm.stdout() + jvm.stderr());
            String facts = jvm.stdout() + jvm.stderr();
            assertEquals("0", jvm.fact("CHILD_EXIT"), facts);
            assertEquals("2000", jvm.fact("COUNTER"), "the lock held across processes: " + facts);
            assertEquals("42", jvm.fact("NAMED"), facts);
            assertEquals(String.valueOf(2 << 20), jvm.fact("LARGE_MESSAGE"), facts);
            assertEquals("[1, 4, 9]", jvm.fact("SQUARES"), facts);
            assertTrue(Long.parseLong(jvm.fact("MEMFDS")) >= 2, "the lock and the counter are memfds: " + facts);
        }
        // The tracker removes the segment left behind once the tree is gone; nothing else stays.
        Path folder;
        try (Stream<Path> own = Files.list(tmp)) {
            folder = own.filter(p -> p.getFileName().toString().startsWith("multiprocessing4j-")).findFirst()
                    .orElseThrow().resolve("shm");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Path> left;
            try (Stream<Path> files = Files.list(folder)) {
                left = files.toList();
            }
            if (left.isEmpty()) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "left in " + folder + ": " + left);
            Thread.sleep(50);
        }
    }

    @Test
    void aReadOnlyDevShmStillGivesLocksValuesQueuesNamedSegmentsAndPools(@TempDir Path directory) throws Exception {
        run(directory, "mount -t tmpfs -o ro,size=1m tmpfs /dev/shm");
    }

    @Test
    void noDevShmAtAllStillGivesThemToo(@TempDir Path directory) throws Exception {
        // A /dev of the device nodes a JVM reads, as a sandbox without /dev/shm has.
        run(directory, "mount -t tmpfs -o size=1m tmpfs /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5"
                + " && mknod -m 666 /dev/urandom c 1 9 && mknod -m 666 /dev/random c 1 8");
    }
}
