package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.SharedLong;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.synchronize.Lock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Under the warm start method a target that carries file descriptors (a connection, a lock, a
 * shared value, a queue: anonymous shared segments and sockets) is started on a spare, with its
 * fds passed along with its orders, not on a freshly booted JVM; and it works there as it would
 * in a spawned child.
 */
@ExtendWith(ReapChildren.class)
@Timeout(120)
class WarmTargetFdsTest {
    private static final Duration JOIN = Duration.ofSeconds(60);
    private static ProcessContext context;

    @BeforeAll
    static void bootSpares() {
        context = Multiprocessing.getContext("warm").toBuilder()
                .jvmOptions("-Dmp4j.test.context=carried-fds").warmSpares(2).build().warmUp();
    }

    @AfterAll
    static void settle() throws InterruptedException {
        context.awaitWarmSpares(Duration.ofSeconds(60));
    }

    /** Starts {@code target} once the spares are ready; asserts it ran on one of them and exited with 0. */
    private static void startsOnASpare(ProcessTarget target, Runnable whileRunning) throws Exception {
        assertTrue(context.awaitWarmSpares(Duration.ofSeconds(60)), "spares did not boot");
        List<Long> spares = WarmStartTest.spares();
        assertFalse(spares.isEmpty());
        ChildProcess child = context.newProcess(target);
        child.start();
        try {
            long pid = child.pid().orElseThrow();
            assertTrue(spares.contains(pid), "pid " + pid + " is not one of the spares " + spares + ": a JVM was booted");
            whileRunning.run();
            assertTrue(child.join(JOIN));
            assertEquals(0, child.exitCode().orElseThrow(), "the target failed (its stack trace is on stderr)");
        } finally {
            if (child.isAlive()) {
                child.kill();
                child.join(JOIN);
            }
        }
    }

    @Test
    void aTargetCarryingAConnectionStartsOnASpare() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection theirs = pipe.second();
            startsOnASpare(() -> {
                theirs.send("hello from " + ProcessHandle.current().pid());
                if (!"ack".equals(theirs.recv())) {
                    System.exit(3);
                }
            }, () -> {
                try {
                    assertTrue(String.valueOf(pipe.first().recv()).startsWith("hello from "));
                    pipe.first().send("ack");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void aTargetCarryingALockStartsOnASpare() throws Exception {
        Lock lock = new Lock();
        lock.lock();
        try {
            // Held here, so the child must see it held: the same lock word, not a copy.
            startsOnASpare(() -> System.exit(lock.tryLock() ? 4 : 0), () -> { });
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aTargetCarryingASharedValueStartsOnASpare() throws Exception {
        SharedLong value = SharedLong.createRaw(41);
        startsOnASpare(() -> value.incrementAndGet(), () -> { });
        assertEquals(42, value.get());
    }

    @Test
    void aTargetCarryingAQueueStartsOnASpare() throws Exception {
        try (Queue<String> queue = new Queue<>()) {
            startsOnASpare(() -> queue.put("from the spare"), () -> { });
            assertEquals("from the spare", queue.poll(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aTargetCarryingEveryKindAtOnceStartsOnASpare() throws Exception {
        Lock lock = new Lock();
        SharedLong value = SharedLong.createRaw(0);
        try (Queue<Long> queue = new Queue<>(); Pipe pipe = Pipe.open(false)) {
            Connection writer = pipe.second();
            startsOnASpare(() -> {
                lock.lock();
                try {
                    long now = value.incrementAndGet();
                    queue.put(now);
                    writer.send(now);
                } finally {
                    lock.unlock();
                }
            }, () -> { });
            assertEquals(1L, queue.poll(30, TimeUnit.SECONDS));
            assertEquals(1L, pipe.first().recv());
            assertEquals(1, value.get());
        }
    }
}
