package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.SharedMemoryCalls;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.sharedctypes.SharedInt;
import io.multiprocessing4j.sharedctypes.SharedLongArray;
import io.multiprocessing4j.sharedmemory.ShareableList;
import io.multiprocessing4j.sharedmemory.SharedMemory;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Barrier;
import io.multiprocessing4j.synchronize.Condition;
import io.multiprocessing4j.synchronize.Event;
import io.multiprocessing4j.synchronize.Lock;
import io.multiprocessing4j.synchronize.RLock;
import io.multiprocessing4j.synchronize.Semaphore;

/**
 * The parent that {@link ShmLeakTest} kills with SIGKILL: it creates primitives, values and named
 * blocks (which it never unlinks), hands them to a daemon child that holds a lock, and leaves a
 * segment in /dev/shm exactly as if it had been killed between creating an anonymous segment and
 * unlinking it. Then it waits to be killed.
 */
public final class KilledParentMain {
    private KilledParentMain() {
    }

    public static void main(String[] args) throws Exception {
        Lock lock = new Lock();
        RLock rlock = new RLock();
        Semaphore semaphore = new Semaphore(2);
        Event event = new Event();
        Condition condition = new Condition(rlock);
        Barrier barrier = new Barrier(2);
        Event childHolds = new Event();
        SharedInt value = SharedInt.create(1);
        SharedLongArray array = SharedLongArray.create(1000);
        SharedMemory block = SharedMemory.create(1 << 16);
        ShareableList list = ShareableList.create(java.util.List.of("x", 1L));
        ChildProcess child = new ChildProcess(() -> {
            useThemAll(lock, semaphore, event, condition, barrier, childHolds);
        }, "user", true);
        ChildProcess blockUser = new ChildProcess(() -> {
            value.incrementAndGet();
            array.set(0, block.buf().getLong(0));
            list.set(1, 2L);
            Thread.sleep(Long.MAX_VALUE);
        }, "block user", true);
        blockUser.start();
        child.start();
        childHolds.await();

        // The instant inside Segment.createAnonymous that only the tracker covers.
        String name = "/" + SegmentNames.random();
        ResourceTracker.register(ResourceTracker.Kind.TRANSIENT, name);
        int fd = SharedMemoryCalls.shmOpen(name, true, 0600);
        if (fd < 0) {
            throw new IllegalStateException("shm_open failed: " + fd);
        }
        FileDescriptors.close(fd);

        SeparateJvm.report("CHILD", child.pid().getAsLong());
        SeparateJvm.report("TRACKER", ResourceTracker.trackerPid());
        SeparateJvm.report("IN_CREATION", name.substring(1));
        SeparateJvm.report("BLOCK", block.name());
        SeparateJvm.report("LIST", list.shm().name());
        SeparateJvm.ready();
        Thread.sleep(Long.MAX_VALUE);
    }

    static void useThemAll(Lock lock, Semaphore semaphore, Event event, Condition condition, Barrier barrier,
                           Event childHolds) throws Exception {
        lock.acquire();
        semaphore.acquire();
        event.set();
        condition.acquire();
        condition.release();
        barrier.nWaiting();
        childHolds.set();
        Thread.sleep(Long.MAX_VALUE);
    }
}
