package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.connection.MessageChannel;
import io.multiprocessing4j.internal.pool.FunctionTable.FunctionEntry;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parent's side of one worker: its process, its connection, and the tasks it holds, oldest
 * first, with the accounting {@link TaskPlacement} decides by. Everything but the {@link Outbox}
 * is guarded by the pool's lock, and changes only through its methods.
 *
 * <p>Sending. Tasks are chosen under the pool's lock and leave as one message per worker per
 * round ({@link #pack}); the message is put in the worker's outbox under the lock (so messages
 * keep the order in which tasks were given out) and written after the lock is released.
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
    /** Its connection: the pool's own channel, bytes only, read by the supervisor. */
    final MessageChannel channel;
    /** The process's pidfd: readable once it has ended. */
    final int sentinel;
    final String description;
    private State state = State.STARTING;
    /** Sent, not answered, oldest first: the first is the task it is on (or about to start). */
    private final ArrayDeque<Task> inFlight = new ArrayDeque<>();
    /** Tasks it may still be sent (maxTasksPerChild), or Integer.MAX_VALUE. */
    private int quotaLeft;
    /** When the oldest unanswered task started, as far as the parent can tell. */
    private long headStarted;
    /** The estimated nanoseconds of the tasks behind the oldest. */
    private long queuedEstimate;
    /** Bytes of messages it has not begun to read (it reads a message when it starts its first task). */
    private long unreadBytes;
    /** Functions it has been sent. */
    private final Set<Integer> knownFunctions = new HashSet<>();
    /** Functions it knows that the pool has evicted: FORGET records for its next message. */
    private final List<Integer> pendingForgets = new ArrayList<>();
    /** After SIGTERM at termination: when to follow up with SIGKILL (0: no follow-up due). */
    private long killDeadline;
    /** Its connection reached the end (or broke): nothing more to read. */
    private boolean endOfInput;
    /** Whether it said READY (a worker that dies before is suspect: see WorkerEvents). */
    private boolean sawReady;

    /** Tasks chosen for it in the current dispatch round. */
    private final List<Task> staged = new ArrayList<>();
    private int stagedBytes;

    /** Its messages on their way out; also where a failed send or read is recorded. */
    private final Outbox outbox;

    WorkerHandle(String name, ChildProcess process, MessageChannel channel, int maxTasksPerChild) {
        this.name = name;
        this.process = process;
        this.pid = process.pid().orElse(-1);
        this.channel = channel;
        this.outbox = new Outbox(channel);
        this.sentinel = process.sentinel();
        this.description = name + " (pid " + pid + ")";
        this.quotaLeft = maxTasksPerChild > 0 ? maxTasksPerChild : Integer.MAX_VALUE;
    }

    boolean isIdle() {
        return inFlight.isEmpty();
    }

    State state() {
        return state;
    }

    /** Whether it was signalled to die or is gone already. */
    boolean isKilledOrGone() {
        return state == State.KILLED || state == State.EXITED;
    }

    /** Whether its end is no surprise: it was killed, or asked (or bound by its quota) to exit. */
    boolean endIsExpected() {
        return state == State.KILLED || state == State.STOPPING;
    }

    /** Whether it may be given a task now. */
    boolean takesTasks() {
        return state == State.READY && quotaLeft > 0 && outbox.failure() == null;
    }

    /** Whether it counts toward the pool's size: starting or ready, with tasks left in its quota. */
    boolean isServing() {
        boolean spent = quotaLeft <= 0 && isIdle();
        return (state == State.STARTING || state == State.READY) && !spent;
    }

    boolean sawReady() {
        return sawReady;
    }

    boolean atEndOfInput() {
        return endOfInput;
    }

    /** The failure of a send or a read on its connection, or null. */
    IOException sendFailure() {
        return outbox.failure();
    }

    /** The task it is on (or about to start), or null. */
    Task head() {
        return inFlight.peekFirst();
    }

    int inFlightCount() {
        return inFlight.size();
    }

    long headStarted() {
        return headStarted;
    }

    long queuedEstimate() {
        return queuedEstimate;
    }

    /** Bytes it has not begun to read, plus those staged for it in this round. */
    long pendingBytes() {
        return unreadBytes + stagedBytes;
    }

    boolean hasStaged() {
        return !staged.isEmpty();
    }

    /** It said READY: it takes tasks from now on (unless it is already on its way out). */
    void markReady() {
        sawReady = true;
        if (state == State.STARTING) {
            state = State.READY;
        }
    }

    /** It exits by itself (its initializer failed): no more tasks for it. */
    void markStopping() {
        state = State.STOPPING;
    }

    /**
     * Gives it {@code task} in this dispatch round: staged for its next message, in flight from
     * now on. Returns whether it was idle (the task starts now, so a deadline starts with it).
     */
    boolean assign(Task task, long now) {
        boolean idle = isIdle();
        long estimate = task.job.function.estimate(task.items);
        task.sentTo(this, estimate);
        inFlight.add(task);
        quotaLeft--;
        staged.add(task);
        stagedBytes += task.record().length;
        if (idle) {
            headStarted = now;
        } else {
            queuedEstimate += estimate;
        }
        return idle;
    }

    /** The pool evicted function {@code id}: if this worker knows it, its next message tells it to forget it. */
    void forget(int id) {
        if (knownFunctions.contains(id)) {
            pendingForgets.add(id);
        }
    }

    /** Ends the dispatch round: the staged tasks and pending FORGETs become one message in the outbox. */
    void pack(long now) {
        packStaged(now, pendingForgets);
        pendingForgets.clear();
    }

    /**
     * The oldest task was answered: returns it (null if nothing was in flight) and moves on to the
     * next. A worker whose quota is now spent exits by itself.
     */
    Task answered(long now) {
        Task task = inFlight.pollFirst();
        if (task == null) {
            return null;
        }
        advanceHead(now);
        if (quotaLeft <= 0 && isIdle() && state == State.READY) {
            state = State.STOPPING;
        }
        return task;
    }

    /** Its exit has been handled: returns what it held, oldest first, and holds nothing more. */
    List<Task> exited() {
        state = State.EXITED;
        List<Task> held = new ArrayList<>(inFlight);
        inFlight.clear();
        return held;
    }

    /** What it holds, oldest first (a copy). */
    List<Task> inFlight() {
        return new ArrayList<>(inFlight);
    }

    /** Kills it (SIGKILL) unless it is already killed or gone; its exit is handled when it comes. */
    void kill() {
        if (isKilledOrGone()) {
            return;
        }
        state = State.KILLED;
        signal(true);
    }

    /** Python's terminate(): SIGTERM now, SIGKILL at {@code killAt} (nanoTime) if it is still there. */
    void terminate(long killAt) {
        if (isKilledOrGone()) {
            return;
        }
        state = State.KILLED;
        killDeadline = killAt;
        signal(false);
    }

    /**
     * Follows up a terminate with SIGKILL once its grace is over. Returns the deadline still to
     * come (nanoTime), or Long.MAX_VALUE if none.
     */
    long followUpKill(long now) {
        if (killDeadline == 0) {
            return Long.MAX_VALUE;
        }
        if (now - killDeadline >= 0) {
            signal(true);
            killDeadline = 0;
            return Long.MAX_VALUE;
        }
        return killDeadline;
    }

    /** Signals its process, whatever its state (SIGKILL or SIGTERM). */
    void signal(boolean kill) {
        try {
            if (kill) {
                process.kill();
            } else {
                process.terminate();
            }
        } catch (RuntimeException alreadyGone) {
            // it has ended; its exit is handled as any other
        }
    }

    /** The pool has no more work for it: closing its connection, it reads the end of its input and exits. */
    void askToExit() {
        if (state == State.STARTING || state == State.READY || (state == State.STOPPING && !endOfInput)) {
            state = State.STOPPING;
            endOfInput = true;
            channel.close();
        }
    }

    /**
     * Reads the messages it has sent: those already buffered, or, once it has ended, everything
     * up to the end of its connection (which then comes at once). Adds each to {@code messages}
     * and itself to {@code from} as often. Called by the supervisor without the pool's lock.
     */
    void readInto(boolean ended, List<WorkerHandle> from, List<byte[]> messages) {
        try {
            do {
                messages.add(channel.recvBytes(Long.MAX_VALUE));
                from.add(this);
            } while (ended || channel.readyWithoutWaiting());
        } catch (EOFException end) {
            endOfInput = true;
        } catch (IOException | IllegalStateException broken) {
            // a broken or closed connection: nothing more to read; its process ends or is killed
            endOfInput = true;
            if (!ended) {
                outbox.failed(broken);
            }
        }
    }

    /** After its exit: closes its connection and releases its process. */
    void release() {
        channel.close();
        try {
            process.close();
        } catch (IllegalStateException stillRunning) {
            // impossible once its sentinel fired; the registry reaps it in any case
        }
    }

    /**
     * Turns the staged tasks into one message in the outbox, preceded by the definitions of
     * functions it does not know yet (and {@code forget} records). Under the pool's lock.
     */
    private void packStaged(long now, List<Integer> forget) {
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
            bytes = staged.get(0).record(); // one task, nothing else: its record is the message, no copy
        } else {
            for (Task task : staged) {
                message.putBytes(task.record(), 0, task.record().length);
            }
            bytes = message.toArray();
        }
        Outbox.SentMessage sent = null;
        if (!staged.isEmpty()) {
            sent = new Outbox.SentMessage(bytes.length);
            for (Task task : staged) {
                task.packedInto(sent);
            }
            if (inFlight.peekFirst() == staged.get(0)) {
                sent.begun = true; // it was idle: it reads this message at once
            } else {
                unreadBytes += bytes.length + TaskPlacement.MESSAGE_OVERHEAD;
            }
        }
        outbox.add(bytes, sent);
        staged.clear();
        stagedBytes = 0;
    }

    /** Writes what is in its outbox (see {@link Outbox#flush}). Called without the pool's lock. */
    void flushOutbox() {
        outbox.flush();
    }

    /**
     * The oldest task was answered: the next one (if any) starts now, and the message it is in,
     * if not begun yet, is being read.
     */
    private void advanceHead(long now) {
        Task head = inFlight.peekFirst();
        if (head == null) {
            return;
        }
        headStarted = now;
        if (head.estimate() > 0) {
            queuedEstimate = Math.max(0, queuedEstimate - head.estimate());
        }
        Outbox.SentMessage message = head.message();
        if (message != null && !message.begun) {
            message.begun = true;
            unreadBytes = Math.max(0, unreadBytes - message.bytes - TaskPlacement.MESSAGE_OVERHEAD);
        }
    }

    /** The estimate of the task it is on, or UNKNOWN. */
    long headEstimate() {
        Task head = inFlight.peekFirst();
        return head == null ? 0 : head.estimate();
    }

    @Override
    public String toString() {
        return description + " " + state + ", " + inFlight.size() + " in flight";
    }
}
