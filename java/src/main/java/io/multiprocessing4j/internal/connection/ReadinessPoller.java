package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.EventPoll;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.sync.VirtualThreads;
import io.multiprocessing4j.internal.threads.LibraryThreads;
import io.multiprocessing4j.internal.time.Durations;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for fds to become readable (or a socket writable) with the waiting thread parked, as NIO does for virtual threads:
 * one poller thread per JVM sleeps in {@code epoll_wait} for every waiter, with one-shot
 * registrations, and unparks the waiters of each fd that is reported. So a virtual thread waiting
 * for a message, a client or a process never holds its carrier, a thread dump shows it WAITING or
 * TIMED_WAITING, and an interrupt ends the wait at once.
 *
 * <p>A waiter first asks the fd itself (a zero-timeout poll): what is ready costs no hand-off; a
 * platform thread then waits in poll(2) itself for a millisecond, so that a round trip with another
 * process costs no hand-off either (a thread dump shows it RUNNABLE for that moment). A
 * report only says "look again": the waiter polls its fds itself for what is really there, so a
 * stale report (a registration left armed by a waiter that timed out, an fd number reused since)
 * costs a spurious wake-up and nothing else. The caller keeps the fds open while it waits
 * ({@link FdChannel#beginBlocking()}).
 */
public final class ReadinessPoller {
    /** How long a platform thread waits in poll(2) itself before it parks (poll counts in milliseconds). */
    private static final long KERNEL_MOMENT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);
    /** What ends any wait besides the events asked for. */
    private static final int FAILED = FileDescriptors.POLLHUP | FileDescriptors.POLLERR | FileDescriptors.POLLNVAL;

    /**
     * The one poller, made by the first wait that parks: a look that finds its fd ready (a zero
     * timeout, a message already there) starts no thread. A warm spare rehearses receives and a
     * pool worker waits for tasks in poll(2), so neither carries a poller thread it never uses.
     */
    private static final class Shared {
        static final ReadinessPoller INSTANCE = new ReadinessPoller();
    }

    /** One parked thread, waiting on one or more fds. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final int[] fds;
        /** Per fd, POLLIN or POLLOUT (the same bits as EPOLLIN and EPOLLOUT). */
        final int[] events;
        volatile boolean reported;

        Waiter(int[] fds, int[] events) {
            this.fds = fds;
            this.events = events;
        }

        int eventsFor(int fd) {
            int wanted = 0;
            for (int i = 0; i < fds.length; i++) {
                if (fds[i] == fd) {
                    wanted |= events[i];
                }
            }
            return wanted;
        }
    }

    private final int epfd;
    /** Waiters by fd; guarded by this. */
    private final Map<Integer, List<Waiter>> waiters = new HashMap<>();

    private ReadinessPoller() {
        try {
            epfd = EventPoll.create();
        } catch (SystemCallException e) {
            throw new IllegalStateException(e);
        }
        LibraryThreads.daemon("mp4j-readiness-poller", this::run).start();
    }

    /**
     * Waits until {@code fd} is readable (or hung up, or in error), at most {@code timeoutNanos}
     * (negative: no limit). Returns the poll(2) events found, 0 when the time ran out. With
     * {@code interruptible}, an interrupt ends the wait with {@link InterruptedIOException} (the
     * interrupt status stays set, as NIO leaves it; a zero timeout only looks and never throws);
     * otherwise it is left pending and the wait goes on.
     */
    public static int awaitReadable(int fd, long timeoutNanos, boolean interruptible) throws InterruptedIOException {
        int[] fds = {fd};
        int[] revents = new int[1];
        return awaitAny(fds, revents, timeoutNanos, interruptible) ? revents[0] : 0;
    }

    /**
     * Waits parked until {@code fd} is readable (or hung up, or in error), for a caller whose own
     * read has just found nothing: no look first, no moment in the kernel. Interrupts as
     * {@link #awaitReadable}.
     */
    public static void parkUntilReadable(int fd, boolean interruptible) throws InterruptedIOException {
        if (interruptible && Thread.currentThread().isInterrupted()) {
            throw interrupted();
        }
        Shared.INSTANCE.park(new int[] {fd}, new int[] {FileDescriptors.POLLIN}, new int[1], -1, interruptible);
    }

    /**
     * Waits parked until socket {@code fd} has room to send (or is hung up, or in error), for a
     * caller whose own non-blocking send has just found it full. An interrupt neither ends the wait
     * nor is lost: a send is never left half-way.
     */
    public static void parkUntilWritable(int fd) {
        try {
            Shared.INSTANCE.park(new int[] {fd}, new int[] {FileDescriptors.POLLOUT}, new int[1], -1, false);
        } catch (InterruptedIOException impossible) {
            throw new AssertionError("an uninterruptible wait threw", impossible);
        }
    }

    /**
     * Waits until at least one of {@code fds} is readable (or hung up, in error, or not open), at
     * most {@code timeoutNanos} (negative: no limit); fills {@code revents} and returns whether any
     * is ready. Interrupts as {@link #awaitReadable}.
     */
    public static boolean awaitAny(int[] fds, int[] revents, long timeoutNanos, boolean interruptible)
            throws InterruptedIOException {
        return await(fds, readable(fds.length), revents, timeoutNanos, interruptible);
    }

    /**
     * Waits until socket {@code fd} is writable (or hung up, or in error), at most
     * {@code timeoutNanos} (negative: no limit), as for a connect in progress. Returns the poll(2)
     * events found, 0 when the time ran out. Interrupts as {@link #awaitReadable}.
     */
    public static int awaitWritable(int fd, long timeoutNanos, boolean interruptible) throws InterruptedIOException {
        int[] revents = new int[1];
        return await(new int[] {fd}, new int[] {FileDescriptors.POLLOUT}, revents, timeoutNanos, interruptible)
                ? revents[0] : 0;
    }

    private static boolean await(int[] fds, int[] events, int[] revents, long timeoutNanos, boolean interruptible)
            throws InterruptedIOException {
        if (interruptible && timeoutNanos != 0 && Thread.currentThread().isInterrupted()) {
            throw interrupted();
        }
        if (timeoutNanos == 0) {
            return pollFor(fds, events, revents, 0);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        if (VirtualThreads.current()) {
            if (pollFor(fds, events, revents, 0)) {
                return true;
            }
        } else {
            // A platform thread first waits in poll(2) itself, for a moment: an answer that comes
            // that soon (a round trip with another process) then costs no hand-off through the
            // poller thread. An interrupt is noticed after the moment, so at most that late.
            long moment = timeoutNanos < 0 ? KERNEL_MOMENT_NANOS : Math.min(timeoutNanos, KERNEL_MOMENT_NANOS);
            if (pollFor(fds, events, revents, moment)) {
                return true;
            }
            if (interruptible && Thread.currentThread().isInterrupted()) {
                throw interrupted();
            }
            if (timeoutNanos > 0 && deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
        return Shared.INSTANCE.park(fds, events, revents,
                timeoutNanos < 0 ? -1 : Math.max(1, deadline - System.nanoTime()), interruptible);
    }

    /**
     * Waits until one of {@code fds} is ready for its entry of {@code events} (POLLIN or POLLOUT;
     * a hang-up or an error counts too), at most {@code timeoutNanos} (negative: no limit); fills
     * {@code revents} and returns whether any is ready; a negative fd is left out, as poll(2)
     * leaves it. For the library's waits inside a call that
     * is not itself interruptible, such as a child's boot within {@code start()}: an interrupt is
     * left pending. A platform thread waits in poll(2) itself; a virtual thread looks once and then
     * parks, so that its carrier is free for as long as the wait takes (a whole JVM boot, say).
     */
    public static boolean awaitEvents(int[] fds, int[] events, int[] revents, long timeoutNanos) {
        if (timeoutNanos != 0 && VirtualThreads.current()) {
            if (pollFor(fds, events, revents, 0)) {
                return true;
            }
            try {
                return Shared.INSTANCE.park(fds, events, revents, timeoutNanos, false);
            } catch (InterruptedIOException impossible) {
                throw new AssertionError("an uninterruptible wait threw", impossible);
            }
        }
        return awaitInKernel(fds, events, revents, timeoutNanos);
    }

    private boolean park(int[] fds, int[] events, int[] revents, long timeoutNanos, boolean interruptible)
            throws InterruptedIOException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interruptedMeanwhile = false;
        try {
            while (true) {
                Waiter waiter = new Waiter(fds, events);
                register(waiter);
                try {
                    while (!waiter.reported) {
                        if (timeoutNanos < 0) {
                            LockSupport.park(this);
                        } else {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) {
                                break;
                            }
                            LockSupport.parkNanos(this, left);
                        }
                        if (Thread.currentThread().isInterrupted()) {
                            if (interruptible) {
                                throw interrupted();
                            }
                            interruptedMeanwhile |= Thread.interrupted();
                        }
                    }
                } finally {
                    deregister(waiter);
                }
                if (pollFor(fds, events, revents, 0)) {
                    return true;
                }
                if (timeoutNanos >= 0 && deadline - System.nanoTime() <= 0) {
                    return false;
                }
            }
        } finally {
            if (interruptedMeanwhile) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void register(Waiter waiter) {
        for (int fd : waiter.fds) {
            if (fd < 0) {
                continue; // as poll(2) does: an entry left out
            }
            List<Waiter> list = waiters.computeIfAbsent(fd, unused -> new ArrayList<>(1));
            list.add(waiter);
            // One registration per fd: armed for what every waiter on it wants (a reader and a
            // writer of one socket); a waiter woken for the other's event looks and parks again.
            int events = 0;
            for (Waiter each : list) {
                events |= each.eventsFor(fd);
            }
            boolean watched;
            try {
                watched = EventPoll.armOneShot(epfd, fd, events, fd);
            } catch (SystemCallException e) {
                waiter.reported = true;
                throw new IllegalStateException(e);
            }
            if (!watched) {
                // Not watchable (a regular file: always readable; a closed fd): poll(2) will say.
                waiter.reported = true;
            }
        }
    }

    private synchronized void deregister(Waiter waiter) {
        for (int fd : waiter.fds) {
            List<Waiter> list = waiters.get(fd);
            if (list != null && list.remove(waiter) && list.isEmpty()) {
                waiters.remove(fd);
            }
        }
    }

    private void run() {
        long[] keys = new long[64];
        while (true) {
            int count;
            try {
                count = EventPoll.waitKeys(epfd, keys, -1);
            } catch (SystemCallException e) {
                throw new IllegalStateException(e);
            }
            synchronized (this) {
                for (int i = 0; i < count; i++) {
                    List<Waiter> list = waiters.remove((int) keys[i]);
                    if (list == null) {
                        continue;
                    }
                    for (Waiter waiter : list) {
                        waiter.reported = true;
                        LockSupport.unpark(waiter.thread);
                    }
                }
            }
        }
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: forever) until one of {@code fds} is readable,
     * in poll(2) on the calling thread, never parked: for the library's own threads, which nothing
     * interrupts and which wait most of their life (a pool's supervisor). A wake-up is then one
     * hop, with nothing registered with the poller and undone for every wait.
     */
    public static boolean awaitAnyInKernel(int[] fds, int[] revents, long timeoutNanos) {
        return awaitInKernel(fds, readable(fds.length), revents, timeoutNanos);
    }

    private static boolean awaitInKernel(int[] fds, int[] events, int[] revents, long timeoutNanos) {
        long deadline = Durations.deadline(timeoutNanos);
        while (true) {
            long remaining = timeoutNanos < 0 ? -1 : Durations.remaining(deadline);
            if (pollFor(fds, events, revents, remaining)) {
                return true;
            }
            if (remaining == 0) {
                return false;
            }
        }
    }

    private static int[] readable(int count) {
        int[] events = new int[count];
        java.util.Arrays.fill(events, FileDescriptors.POLLIN);
        return events;
    }

    /**
     * poll(2) over the fds, each for its entry of {@code events} (POLLIN or POLLOUT), for at most
     * {@code nanos} (rounded up to a millisecond), in this thread.
     */
    private static boolean pollFor(int[] fds, int[] events, int[] revents, long nanos) {
        try {
            FileDescriptors.poll(fds, events, revents, Durations.toPollMillis(nanos));
        } catch (SystemCallException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < revents.length; i++) {
            if ((revents[i] & (events[i] | FAILED)) != 0) {
                return true;
            }
        }
        return false;
    }

    /** What an interrupted wait throws. */
    public static InterruptedIOException interrupted() {
        return new InterruptedIOException("interrupted while waiting");
    }
}
