package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.connection.ConnectionAccess;
import io.multiprocessing4j.internal.connection.MessageChannel;
import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parent's side of one worker: its process, its connection, and the tasks it holds, oldest
 * first. Everything but the outbox is guarded by the pool's lock.
 *
 * <p>Sending. Tasks are chosen under the pool's lock and leave as one message per worker per
 * round; the message is put in the worker's outbox under the lock (so messages keep the order
 * in which tasks were given out) and written after the lock is released, by whichever thread
 * gets the send lock first. The pool only sends what the socket can take without blocking
 * (see {@link PoolCore}), so a send never waits for a busy worker.
 */
final class WorkerHandle {
    enum State {
        /** Connected; running its initializer. No tasks yet. */
        STARTING,
        /** Takes tasks. */
        READY,
        /** Asked to exit (its connection closed), or it will exit by itself (its task quota is spent). */
        STOPPING,
        /** Signalled to die: for a timeout, a cancellation, termination, or a broken connection. */
        KILLED,
        /** Gone: its exit has been handled. */
        EXITED
    }

    final String name;
    final ChildProcess process;
    final long pid;
    final Connection connection;
    final MessageChannel channel;
    /** The process's pidfd: readable once it has ended. */
    final int sentinel;
    final String description;
    State state = State.STARTING;
    /** Sent, not answered, oldest first: the first is the task it is on (or about to start). */
    final ArrayDeque<Task> inFlight = new ArrayDeque<>();
    /** Tasks it may still be sent (maxTasksPerChild), or Integer.MAX_VALUE. */
    int quotaLeft;
    /** When the oldest unanswered task started, as far as the parent can tell. */
    long headStarted;
    /** The estimated nanoseconds of the tasks behind the oldest. */
    long queuedEstimate;
    /** Bytes of messages it has not begun to read (it reads a message when it starts its first task). */
    long unreadBytes;
    /** Functions it has been sent. */
    final Set<Integer> knownFunctions = new HashSet<>();
    /** Functions it knows that the pool has evicted: FORGET records for its next message. */
    final List<Integer> pendingForgets = new ArrayList<>();
    /** Why it was killed: a task already failed for that reason, or null. */
    Task killedFor;
    /** After SIGTERM at termination: when to follow up with SIGKILL. */
    long killDeadline;
    /** Its connection reached the end (or broke): nothing more to read. */
    boolean endOfInput;
    /** Whether it said READY (a worker that dies before is suspect: see PoolCore). */
    boolean sawReady;

    /** Tasks chosen for it in the current dispatch round. */
    final List<Task> staged = new ArrayList<>();
    int stagedBytes;

    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Set by a send that failed (the worker is gone): the pool kills it and handles its exit. */
    volatile IOException sendFailure;

    WorkerHandle(String name, ChildProcess process, Connection connection, int maxTasksPerChild) {
        this.name = name;
        this.process = process;
        this.pid = process.pid().orElse(-1);
        this.connection = connection;
        this.channel = ConnectionAccess.get().channelOf(connection);
        this.sentinel = process.sentinel();
        this.description = name + " (pid " + pid + ")";
        this.quotaLeft = maxTasksPerChild > 0 ? maxTasksPerChild : Integer.MAX_VALUE;
    }

    /** A message as sent: its size, whether the worker has begun to read it, and whether it left at all. */
    static final class SentMessage {
        final int bytes;
        boolean begun;
        /**
         * Whether the message is (being) written to the socket. A worker that dies before it is
         * never saw the message's tasks, so they go to other workers, even the oldest (see
         * PoolCore.handleExit); nor did it see one whose write failed.
         */
        volatile boolean delivered;

        SentMessage(int bytes) {
            this.bytes = bytes;
        }
    }

    /** A message waiting in the outbox, with its record of delivery (null for one that carries no task). */
    private static final class Outgoing {
        final byte[] bytes;
        final SentMessage sent;

        Outgoing(byte[] bytes, SentMessage sent) {
            this.bytes = bytes;
            this.sent = sent;
        }
    }

    boolean isIdle() {
        return inFlight.isEmpty();
    }

    /**
     * Turns the staged tasks into one message in the outbox, preceded by the definitions of
     * functions it does not know yet (and {@code forget} records). Under the pool's lock.
     */
    void packStaged(long now, List<Integer> forget) {
        if (staged.isEmpty() && forget.isEmpty()) {
            return;
        }
        WireBuffer message = new WireBuffer(stagedBytes + 64);
        for (int id : forget) {
            message.putByte(Wire.FORGET);
            message.putInt(id);
            knownFunctions.remove(id);
        }
        boolean single = staged.size() == 1 && forget.isEmpty();
        for (Task task : staged) {
            FunctionEntry function = task.job.function;
            if (knownFunctions.add(function.id)) {
                function.writeDefinition(message);
                single = false;
            }
        }
        byte[] bytes;
        if (single) {
            bytes = staged.get(0).record; // one task, nothing else: its record is the message, no copy
        } else {
            for (Task task : staged) {
                message.putBytes(task.record, 0, task.record.length);
            }
            bytes = message.toArray();
        }
        SentMessage sent = null;
        if (!staged.isEmpty()) {
            sent = new SentMessage(bytes.length);
            for (Task task : staged) {
                task.message = sent;
            }
            if (inFlight.peekFirst() == staged.get(0)) {
                sent.begun = true; // it was idle: it reads this message at once
            } else {
                unreadBytes += bytes.length + TaskPlacement.MESSAGE_OVERHEAD;
            }
        }
        outbox.add(new Outgoing(bytes, sent));
        staged.clear();
        stagedBytes = 0;
    }

    /**
     * Writes what is in the outbox, unless another thread is doing it (which then writes these
     * messages too). Called without the pool's lock.
     */
    void flushOutbox() {
        while (!outbox.isEmpty()) {
            if (!sendLock.tryLock()) {
                return; // the holder re-checks the outbox after it unlocks
            }
            try {
                Outgoing message;
                while ((message = outbox.poll()) != null) {
                    if (sendFailure != null) {
                        continue; // the worker is gone: its tasks never reached it
                    }
                    // Marked before the send, so that a worker dying meanwhile counts as having
                    // seen it (its first task then fails, never runs twice); unmarked if it failed.
                    if (message.sent != null) {
                        message.sent.delivered = true;
                    }
                    if (!send(message.bytes) && message.sent != null) {
                        message.sent.delivered = false;
                    }
                }
            } finally {
                sendLock.unlock();
            }
        }
    }

    private boolean send(byte[] message) {
        try {
            connection.sendBytes(message);
            return true;
        } catch (IOException | IllegalStateException e) {
            // The worker is gone (EPIPE) or its connection closed: its exit is handled by the pool.
            sendFailure = e instanceof IOException ? (IOException) e : new IOException(e);
            return false;
        }
    }

    /**
     * The oldest task was answered: the next one (if any) starts now, and the message it is in,
     * if not begun yet, is being read.
     */
    void advanceHead(long now) {
        Task head = inFlight.peekFirst();
        if (head == null) {
            return;
        }
        headStarted = now;
        if (head.estimate > 0) {
            queuedEstimate = Math.max(0, queuedEstimate - head.estimate);
        }
        SentMessage message = head.message;
        if (message != null && !message.begun) {
            message.begun = true;
            unreadBytes = Math.max(0, unreadBytes - message.bytes - TaskPlacement.MESSAGE_OVERHEAD);
        }
    }

    /** The estimate of the task it is on, or UNKNOWN. */
    long headEstimate() {
        Task head = inFlight.peekFirst();
        return head == null ? 0 : head.estimate;
    }

    @Override
    public String toString() {
        return description + " " + state + ", " + inFlight.size() + " in flight";
    }
}
