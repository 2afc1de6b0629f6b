package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ReapChildren;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sentinel is an fd that poll(2) reports readable exactly when the process has ended. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class SentinelTest {

    private static boolean readable(int fd, Duration wait) throws Exception {
        return (FileDescriptors.pollOne(fd, FileDescriptors.POLLIN, wait.toNanos()) & FileDescriptors.POLLIN) != 0;
    }

    @Test
    void becomesReadableWhenTheProcessEnds() throws Exception {
        ChildProcess child = new ChildProcess(() -> Thread.sleep(60_000));
        child.start();
        int sentinel = child.sentinel();
        assertEquals(false, readable(sentinel, Duration.ofMillis(200)), "readable while running");
        child.terminate();
        assertEquals(true, readable(sentinel, Duration.ofSeconds(30)));
        child.join();
        assertEquals(true, readable(sentinel, Duration.ZERO), "stays readable after the exit is collected");
        child.close();
    }

    @Test
    void askedForOnlyAfterTheEndItIsReadableAtOnce() throws Exception {
        ChildProcess child = new ChildProcess(() -> { });
        child.start();
        child.join();
        int sentinel = child.sentinel();
        assertNotEquals(-1, sentinel);
        assertEquals(true, readable(sentinel, Duration.ZERO));
        assertEquals(sentinel, child.sentinel());
        child.close();
    }
}
